import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simControl } from '../support/sim-control.js';
import { findLeaks } from '../support/secret-scan.js';
import { secretWatch } from '../support/secret-watch.js';
import { startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/truth.js';
import { expectProblem } from './endpoints.js';
import { sealedCache, tamper, type Tamper } from './tamper.js';
import { synced, type Caller } from './two-callers.js';

// Issue 8, point 4: tampered ciphertexts are refused; no secret in any log line (the suite-wide
// watch of test/support/secret-watch.setup.ts, checked live here); error bodies never echo
// upstream Microsoft responses.

const TAMPERS: Tamper[] = ['nonce', 'tag', 'ciphertext', 'key version', 'moved to another integration'];
const CALLER = 'keeper@fabrikam.example';
const accounts = ['donor', ...TAMPERS.map((_, i) => `victim${i}`)].map((n) => `${n}@contoso.example`);
let stack: Stack;
let caller: Caller;

beforeAll(async () => {
  stack = await startStack();
  const ids: string[] = [];
  for (const account of accounts) {
    stack.user(account, { email: account, calendar: { events: 6 }, mailbox: { messages: 0 } });
    ids.push((await stack.connect(CALLER, 'microsoft_calendar', account)).body.id);
  }
  caller = { email: CALLER, token: await stack.callerToken(CALLER), ids, calendarIds: ids, mailIds: [] };
  await synced(stack, caller);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const get = (path: string) => stack.api('GET', path, { token: caller.token });
const secrets = () => secretWatch().secrets;

describe('secrets at rest, in logs and in error bodies', () => {
  it('a tampered token-cache row (nonce, tag, ciphertext, key version, moved) is never used: reconnect required', async () => {
    const [donor, ...victims] = caller.ids as [string, ...string[]];
    const before = stack.sim.stats().by_user;
    const tampered = await Promise.all(TAMPERS.map((how, i) => tamper(stack, victims[i]!, how, donor)));
    const from = stack.logs.length;
    for (const id of victims)
      expect(
        (await stack.api('POST', `integrations/${id}/sync`, { token: caller.token, body: { sync_type: 'full' } }))
          .status,
      ).toBe(202);
    const outcomes = await Promise.all(
      victims.map((id) =>
        waitFor(async () => {
          const body = (await get(`integrations/${id}`)).body;
          return body.last_sync?.status === 'failed' ? body : undefined;
        }, 60_000),
      ),
    );
    await new Promise((r) => setTimeout(r, 2_000)); // a retry loop would show more attempts by now
    const after = stack.sim.stats().by_user;
    for (const [i, how] of TAMPERS.entries()) {
      const id = victims[i]!;
      // One attempt: retrying cannot make a forged ciphertext open, so the job does not go round the queue.
      const attempts = stack.logs
        .slice(from)
        .filter((l) => /"msg":"(sync failed|reauthorization required)"/.test(l) && l.includes(id));
      expect(attempts.length, how).toBe(1);
      expect(outcomes[i], how).toMatchObject({
        status: 'reauth_required',
        status_reason: { code: 'token_cache_unreadable' },
        last_sync: { status: 'failed', error: { code: 'reauth_required' } },
      });
      expect(JSON.stringify(outcomes[i]), how).not.toMatch(/Decryption|authentication_failed|v1\.[\w-]+\./);
      // Not one token refresh or Graph call for the account: the cache was never opened.
      expect(after[accounts[i + 1]!] ?? 0, how).toBe(before[accounts[i + 1]!] ?? 0);
      expect(await sealedCache(stack, id), how).toBe(tampered[i]);
      const again = await stack.api('POST', `integrations/${id}/sync`, {
        token: caller.token,
        body: { sync_type: 'full' },
      });
      expectProblem(again, 409, 'reauth_required', how);
    }
    expect(after[accounts[0]!] ?? 0).toBe(before[accounts[0]!] ?? 0); // the donor's tokens were not used either
    // The API keeps answering for those integrations and their data.
    expect((await get('integrations')).status).toBe(200);
    for (const id of victims) expect((await get(`integrations/calendar-events?integration_id=${id}`)).status).toBe(200);
    expect((await stack.api('GET', 'health')).status).toBe(200);
    // The donor is intact: its own sync still succeeds.
    const started = new Date().toISOString();
    expect(
      (await stack.api('POST', `integrations/${donor}/sync`, { token: caller.token, body: { sync_type: 'full' } }))
        .status,
    ).toBe(202);
    await waitFor(async () => {
      const b = (await get(`integrations/${donor}`)).body;
      return b.last_sync?.status === 'succeeded' && b.last_sync.finished_at > started;
    }, 30_000);
  });

  it('the secret watch is live: it has seen every kind of secret and finds one in a line', () => {
    const kinds = new Set(secrets().values());
    for (const kind of [
      'authorization code',
      'client_secret',
      'code_verifier',
      'refresh_token',
      'idToken',
      'graphAccessToken',
      'callerToken',
    ])
      expect(
        [...kinds].some((k) => k.includes(kind)),
        kind,
      ).toBe(true);
    expect(secretWatch().lines.length).toBeGreaterThan(10); // the connects and first syncs of beforeAll
    const [refresh] = [...secrets()].find(([, k]) => k === 'refresh_token')!;
    const planted = findLeaks([`{"msg":"oops","value":"${refresh.slice(7, 60)}"}`], secrets());
    expect(planted).toHaveLength(1);
    expect(planted[0]!.line).not.toContain(refresh.slice(7, 30));
    expect(findLeaks(secretWatch().lines, secrets())).toEqual([]);
  });

  it('API answers carry no secret either', async () => {
    const bodies = await Promise.all(
      ['integrations', ...caller.ids.map((id) => `integrations/${id}`)].map(async (p) =>
        JSON.stringify((await get(p)).body),
      ),
    );
    expect(findLeaks(bodies, secrets())).toEqual([]);
  });

  it('a code Microsoft refuses: the problem names at most the AADSTS code, nothing of the upstream answer', async () => {
    const started = await stack.api('POST', 'integrations/oauth/initiate', {
      token: caller.token,
      body: { provider: 'microsoft_calendar' },
    });
    const seen = secretWatch().upstreamErrors.length;
    const res = await stack.api('POST', 'integrations/oauth/callback', {
      token: caller.token,
      body: { provider: 'microsoft_calendar', state: started.body.state, code: 'refused-code' },
    });
    expectProblem(res, 400, 'oauth_exchange_failed');
    const upstream = secretWatch().upstreamErrors.slice(seen);
    expect(upstream.length).toBeGreaterThanOrEqual(3); // trace id, correlation id, description
    const text = JSON.stringify(res.body);
    for (const piece of upstream.flatMap((u) => [u, ...u.split(/\r?\n/)]).filter((p) => p.length > 12))
      expect(text).not.toContain(piece.replace(/^AADSTS\d+: /, ''));
    expect(text).not.toMatch(/Trace ID|Correlation ID|Timestamp|error_uri|https:\/\/localhost/);
  });

  // Fails today (see the report): connect.ts puts the redirect's `error` verbatim into `detail`.
  it("an error from Microsoft's redirect is not echoed: neither its description nor an unexpected error value", async () => {
    for (const [error, description] of [
      [
        'server_error',
        'AADSTS50000: There was an error issuing a token.\r\nTrace ID: 0f3e9a51-2f55-4c1a-9b1e-3f0d1f4a7c00',
      ],
      ['<img src=x onerror=alert(1)>', 'AADSTS90000: payload'],
      ['invalid_request\r\nX-Injected: 1', 'AADSTS90000: payload'],
    ] as const) {
      const started = await stack.api('POST', 'integrations/oauth/initiate', {
        token: caller.token,
        body: { provider: 'microsoft_calendar' },
      });
      const res = await stack.api('POST', 'integrations/oauth/callback', {
        token: caller.token,
        body: { provider: 'microsoft_calendar', state: started.body.state, error, error_description: description },
      });
      expect(res.status, error).toBe(400);
      const text = JSON.stringify(res.body);
      expect(text, error).not.toContain('Trace ID');
      expect(text, error).not.toContain('There was an error');
      if (!/^[a-z_]{1,64}$/.test(error)) expect(res.body.detail, error).not.toContain(error);
    }
  });

  it('a Graph failure is recorded by code only: last_sync.error holds nothing of the Graph answer', async () => {
    const id = caller.ids[0]!;
    const seen = secretWatch().upstreamErrors.length;
    await simControl(stack.sim, 'POST', 'faults', { status: 500, next_n: 100 });
    try {
      expect(
        (await stack.api('POST', `integrations/${id}/sync`, { token: caller.token, body: { sync_type: 'full' } }))
          .status,
      ).toBe(202);
      const body = await waitFor(async () => {
        const b = (await get(`integrations/${id}`)).body;
        return b.last_sync?.status === 'failed' ? b : undefined;
      }, 60_000);
      expect(body.last_sync.error.code).toBe('graph_unavailable');
      const upstream = secretWatch().upstreamErrors.slice(seen);
      expect(upstream.length).toBeGreaterThan(0);
      for (const piece of upstream) expect(JSON.stringify(body)).not.toContain(piece);
    } finally {
      await simControl(stack.sim, 'DELETE', 'faults');
    }
  });
});
