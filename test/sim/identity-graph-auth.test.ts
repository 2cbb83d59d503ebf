import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';

// Graph's front door: every /v1.0 request needs an access token this simulator issued for Graph.
let t: TestSimulator;
const EMAIL = 'grace@contoso.example';
beforeAll(async () => {
  t = await startTestSimulator();
  t.sim.createUser({
    email: EMAIL,
    calendar: { events: 1, recurring_series: 0, all_day: 0 },
    mailbox: { messages: 1 },
  });
});
afterAll(() => t.sim.close());

async function me(
  token?: string,
): Promise<{ status: number; body: { error?: { code: string; message: string }; id?: string }; res: Response }> {
  const res = await fetch(`${t.sim.graphBaseUrl}/v1.0/me`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return {
    status: res.status,
    body: (await res.json()) as { error?: { code: string; message: string }; id?: string },
    res,
  };
}

describe('Graph authentication', () => {
  it('reaches the Graph service with a valid access token', async () => {
    const ok = await me(await t.sim.graphAccessToken(EMAIL, ['User.Read']));
    expect(ok.status).toBe(200);
    expect(ok.body.id).toBe(t.sim.graph.findUser(EMAIL)?.id);
  });

  it('answers 401 InvalidAuthenticationToken without a token, with a malformed one, or one signed by another key', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const user = t.sim.graph.findUser(EMAIL)!;
    const forged = await new SignJWT({ oid: user.id, tid: user.tenantId, scp: 'User.Read' })
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
      .setIssuer(t.sim.callerIssuer)
      .setAudience('https://graph.microsoft.com')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    for (const token of [undefined, 'not-a-jwt', forged]) {
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.body.error?.code).toBe('InvalidAuthenticationToken');
      expect(res.res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
  });

  it("answers 401 for the app's own caller token (wrong audience) and for an expired Graph token", async () => {
    const wrongAudience = await me(await t.sim.callerToken(EMAIL));
    expect(wrongAudience.status).toBe(401);
    const set = await fetch(`${t.sim.baseUrl}/_sim/tokens`, {
      method: 'POST',
      body: JSON.stringify({ access_token_ttl_s: 0 }),
    });
    expect(set.status).toBe(200);
    try {
      const expired = await me(await t.sim.graphAccessToken(EMAIL, ['User.Read']));
      expect(expired.status).toBe(401);
      expect(expired.body.error?.message).toContain('expired');
    } finally {
      await fetch(`${t.sim.baseUrl}/_sim/tokens`, {
        method: 'POST',
        body: JSON.stringify({ access_token_ttl_s: 3600 }),
      });
    }
  });
});
