import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_API_SCOPE, SIM_SPA_CLIENT_ID } from '../../dev/sim/identity/issuer.js';
import { startSimulator, type Simulator } from '../../dev/sim/server.js';

// The simulator's caller tokens are what the API now demands (issue 19, finding 2): delegated v2
// access tokens with the API's scope and the SPA as the authorized party, from the control too.
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
  sim.createUser({ email: 'ada@contoso.example' });
});
afterAll(() => sim.close());

const claims = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('simulator caller tokens', () => {
  it('carry scp and azp, through the JS API and through POST /_sim/caller-token', async () => {
    const res = await fetch(`${sim.baseUrl}/_sim/caller-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@contoso.example' }),
    });
    expect(res.status).toBe(200);
    const { access_token: fromControl } = (await res.json()) as { access_token: string };
    for (const token of [fromControl, await sim.callerToken('ada@contoso.example')]) {
      const c = claims(token);
      expect(c).toMatchObject({ scp: SIM_API_SCOPE, azp: SIM_SPA_CLIENT_ID, aud: sim.callerAudience, ver: '2.0' });
      expect(c.idtyp).toBeUndefined();
      expect(c.roles).toBeUndefined();
    }
  });
});
