import { createHash, randomBytes } from 'node:crypto';
import { RestError } from '@azure/core-rest-pipeline';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEnvelope } from '../../shared/crypto/envelope.js';
import { createLocalKeyProvider } from '../../shared/crypto/local-key-provider.js';
import {
  MAX_PENDING_STATES_PER_CALLER,
  OAuthStateStore,
  STATE_TTL_MS,
  stateRowKeys,
} from '../../shared/oauth/state-store.js';
import { SyncStateStore, type StreamState } from '../../shared/sync/state-store.js';
import { MemoryTable } from './fakes/memory-table.js';

// The two state stores over an in-memory table (test/unit/fakes/memory-table.ts) that keeps Table
// Storage's ETag, 404/409/412 and Replace semantics; the stores are tested against Azurite through
// the connect and sync flows in test/e2e.

describe('SyncStateStore (stream checkpoints)', () => {
  let table: MemoryTable;
  let store: SyncStateStore;
  beforeEach(() => {
    table = new MemoryTable();
    store = new SyncStateStore(table, 'integration-1', 'https://graph.example');
  });

  const full: StreamState = {
    round: 'r1',
    roundKind: 'full',
    nextLink: 'https://graph.example/v1.0/next',
    windowStart: 'a',
    windowEnd: 'b',
  };

  it('a stream never saved has no state', async () => {
    expect(await store.get('calendar')).toBeUndefined();
  });

  it('saves a checkpoint under (integration id, stream) and reads it back', async () => {
    await store.put('mail:inbox', full);
    expect(await store.get('mail:inbox')).toMatchObject(full);
    expect(table.peek('integration-1', 'mail:inbox')).toMatchObject(full);
    expect(await store.get('calendar')).toBeUndefined();
    expect(await new SyncStateStore(table, 'integration-2', 'https://graph.example').get('mail:inbox')).toBeUndefined();
  });

  it('replaces the whole row: a nextLink of the finished round does not survive the deltaLink that ends it', async () => {
    await store.put('calendar', full);
    await store.put('calendar', {
      round: 'r1',
      roundKind: 'delta',
      deltaLink: 'https://graph.example/v1.0/delta',
      deltaSavedAt: '2026-03-01T00:00:00Z',
    });
    const state = await store.get('calendar');
    expect(state).toMatchObject({ roundKind: 'delta', deltaLink: 'https://graph.example/v1.0/delta' });
    expect(state?.nextLink).toBeUndefined();
    expect(state?.windowStart).toBeUndefined();
  });

  it('writes neither the etag it read nor undefined fields', async () => {
    await store.put('calendar', { ...full, etag: 'W/"stale"', deltaLink: undefined });
    const written = table.peek('integration-1', 'calendar')!;
    expect(written.etag).not.toBe('W/"stale"');
    expect(Object.keys(written)).not.toContain('deltaLink');
  });

  it('a row that does not parse reads as absent, so the stream starts a fresh full round', async () => {
    table.seed({ partitionKey: 'integration-1', rowKey: 'calendar', round: 'r1', roundKind: 'sideways' });
    expect(await store.get('calendar')).toBeUndefined();
  });

  it('a storage failure is not mistaken for a missing row', async () => {
    const outage = new RestError('ServiceUnavailable', { statusCode: 503 });
    table.failNext = outage;
    await expect(store.get('calendar')).rejects.toBe(outage);
  });
});

describe('OAuthStateStore (pending authorizations)', () => {
  const envelope = createEnvelope(createLocalKeyProvider({ key: randomBytes(32).toString('base64') }));
  const user = 'user-key-a';
  const pending = {
    userKey: user,
    provider: 'microsoft_calendar' as const,
    redirectUri: 'https://app.example/cb',
    codeVerifier: 'v'.repeat(64),
    access: 'read' as const,
    sharedCalendars: false,
  };
  const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
  const rowOf = (state: string) => {
    const keys = stateRowKeys(state, user);
    return keys && table.peek(keys.partitionKey, keys.rowKey);
  };
  let table: MemoryTable;
  let now: Date;
  let store: OAuthStateStore;
  beforeEach(() => {
    table = new MemoryTable();
    now = new Date('2026-03-01T12:00:00.000Z');
    store = new OAuthStateStore(table, envelope, () => now);
  });

  it('issues 256 random bits and stores only their hash, with the verifier sealed', async () => {
    const { state, expiresAt } = await store.create(pending);
    // The 10-minute slot it was issued in (so the row is found and purged by it), then 256 random bits.
    expect(state).toMatch(/^\d{10}[A-Za-z0-9_-]{43}$/);
    expect(state.slice(0, 10)).toBe(String(Math.floor(now.getTime() / STATE_TTL_MS)).padStart(10, '0'));
    expect(expiresAt.getTime()).toBe(now.getTime() + STATE_TTL_MS);
    const rows = table.all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      partitionKey: `s${state.slice(0, 10)}|${user}`,
      rowKey: sha256(state),
      userKey: user,
      provider: 'microsoft_calendar',
    });
    expect(JSON.stringify(rows)).not.toContain(state);
    expect(JSON.stringify(rows)).not.toContain(pending.codeVerifier);
    expect((await store.create(pending)).state).not.toBe(state);
  });

  it('the caller it was issued to consumes it once and gets the verifier back', async () => {
    const { state } = await store.create(pending);
    expect(await store.consume(state, user, 'microsoft_calendar')).toEqual({
      ...pending,
      expiresAt: new Date(now.getTime() + STATE_TTL_MS),
    });
    expect(table.all()).toEqual([]);
    await expect(store.consume(state, user, 'microsoft_calendar')).rejects.toMatchObject({ code: 'invalid_state' });
  });

  it("another caller's or another provider's attempt is refused without consuming the state", async () => {
    const { state } = await store.create(pending);
    await expect(store.consume(state, 'user-key-b', 'microsoft_calendar')).rejects.toMatchObject({
      code: 'invalid_state',
    });
    await expect(store.consume(state, user, 'microsoft_outlook')).rejects.toMatchObject({ code: 'invalid_state' });
    expect(table.all()).toHaveLength(1);
    expect((await store.consume(state, user, 'microsoft_calendar')).codeVerifier).toBe(pending.codeVerifier);
  });

  it('an expired state is refused, and used up', async () => {
    const { state } = await store.create(pending);
    now = new Date(now.getTime() + STATE_TTL_MS);
    await expect(store.consume(state, user, 'microsoft_calendar')).rejects.toMatchObject({ code: 'invalid_state' });
    expect(table.all()).toEqual([]);
  });

  it('a state one millisecond short of its expiry still works', async () => {
    const { state } = await store.create(pending);
    now = new Date(now.getTime() + STATE_TTL_MS - 1);
    expect((await store.consume(state, user, 'microsoft_calendar')).userKey).toBe(user);
  });

  it.each(['', 'short', 'x'.repeat(129), 'has space in it and more', 'slash/slash/slash/slash'])(
    'a malformed state (%j) is refused without a table read',
    async (state) => {
      await expect(store.consume(state, user, 'microsoft_calendar')).rejects.toMatchObject({ code: 'invalid_state' });
      expect(table.calls).toEqual([]);
    },
  );

  it('an unknown state and a tampered row are the same invalid_state', async () => {
    await expect(store.consume('A'.repeat(43), user, 'microsoft_calendar')).rejects.toMatchObject({
      code: 'invalid_state',
    });
    const { state } = await store.create(pending);
    const row = rowOf(state)!;
    table.seed({ ...row, provider: 'google_calendar' });
    await expect(store.consume(state, user, 'microsoft_calendar')).rejects.toMatchObject({ code: 'invalid_state' });
  });

  it('two concurrent callbacks with one state: exactly one wins (the ETag-conditional delete)', async () => {
    const { state } = await store.create(pending);
    const outcomes = await Promise.allSettled([
      store.consume(state, user, 'microsoft_calendar'),
      store.consume(state, user, 'microsoft_calendar'),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: 'invalid_state' });
  });

  it('a row rewritten between read and delete (stale ETag) is refused', async () => {
    const { state } = await store.create(pending);
    const get = table.getEntity.bind(table);
    table.getEntity = async (pk, rk) => {
      const row = await get(pk, rk);
      table.seed({ ...row }); // someone else wrote it: the ETag we hold is now stale
      return row;
    };
    await expect(store.consume(state, user, 'microsoft_calendar')).rejects.toMatchObject({ code: 'invalid_state' });
    expect(rowOf(state)).toBeDefined();
  });

  it('a verifier sealed for another state does not open', async () => {
    const a = await store.create(pending);
    const b = await store.create({ ...pending, codeVerifier: 'w'.repeat(64) });
    const rowA = rowOf(a.state)!;
    const rowB = rowOf(b.state)!;
    table.seed({ ...rowB, sealedVerifier: rowA.sealedVerifier });
    await expect(store.consume(b.state, user, 'microsoft_calendar')).rejects.toThrow();
  });

  it('a storage failure is rethrown, not turned into invalid_state', async () => {
    const { state } = await store.create(pending);
    const outage = new RestError('ServiceUnavailable', { statusCode: 503 });
    table.failNext = outage;
    await expect(store.consume(state, user, 'microsoft_calendar')).rejects.toBe(outage);
  });

  it('purges the states that expired unused, and only those', async () => {
    await store.create(pending);
    await store.create(pending);
    now = new Date(now.getTime() + 5 * 60_000);
    const young = await store.create(pending);
    now = new Date(now.getTime() + 6 * 60_000); // the first two are 11 minutes old, the last 6
    expect(await store.purgeExpired()).toBe(2);
    expect(table.all().map((r) => r.rowKey)).toEqual([sha256(young.state)]);
    expect(await store.purgeExpired()).toBe(0);
  });

  it('the purge reads only slots that have ended: a live slot is never scanned', async () => {
    const { state } = await store.create(pending);
    const keys = stateRowKeys(state, user)!;
    // Marked expired but still in the current slot: a purge that read live slots would take it.
    table.seed({
      ...table.peek(keys.partitionKey, keys.rowKey)!,
      expiresAt: new Date(now.getTime() - 1).toISOString(),
    });
    expect(await store.purgeExpired()).toBe(0);
    now = new Date(now.getTime() + STATE_TTL_MS); // the next slot: the first one has ended
    expect(await store.purgeExpired()).toBe(1);
  });

  it(`refuses a caller's sign-in past ${MAX_PENDING_STATES_PER_CALLER} pending ones (429 with Retry-After), not anyone else's`, async () => {
    for (let i = 0; i < MAX_PENDING_STATES_PER_CALLER; i++) {
      now = new Date(now.getTime() + 30_000); // spread over two slots
      await store.create(pending);
    }
    const refused = await store.create(pending).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'too_many_pending_sign_ins', status: 429 });
    // The oldest pending one was issued 4.5 minutes ago: it expires in 5.5 minutes.
    expect((refused as { headers?: Record<string, string> }).headers).toEqual({ 'Retry-After': '330' });
    expect((await store.create({ ...pending, userKey: 'user-key-b' })).state).toBeTruthy();
    // A finished sign-in frees its place.
    const done = table.all().find((r) => r.userKey === user)!;
    await table.deleteEntity(String(done.partitionKey), String(done.rowKey));
    expect((await store.create(pending)).state).toBeTruthy();
    // And so does time: once the oldest expired, a new one is accepted.
    await expect(store.create(pending)).rejects.toMatchObject({ code: 'too_many_pending_sign_ins' });
    now = new Date(now.getTime() + 6 * 60_000);
    expect((await store.create(pending)).state).toBeTruthy();
  });

  it('a state consumed while the purge runs is skipped, not an error', async () => {
    await store.create(pending);
    const gone = await store.create(pending);
    now = new Date(now.getTime() + STATE_TTL_MS + 1);
    const del = table.deleteEntity.bind(table);
    let first = true;
    table.deleteEntity = async (pk, rk, options) => {
      if (first) {
        first = false;
        const keys = stateRowKeys(gone.state, user)!;
        await del(keys.partitionKey, keys.rowKey); // consumed by a callback meanwhile
      }
      return del(pk, rk, options);
    };
    const purged = await store.purgeExpired();
    expect(purged).toBe(1);
    expect(table.all()).toEqual([]);
  });
});
