import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyUnavailableError } from '../../shared/crypto/errors.js';
import type { KeyProvider } from '../../shared/crypto/key-provider.js';
import { createLocalKeyProvider } from '../../shared/crypto/local-key-provider.js';
import { AppError } from '../../shared/errors.js';
import { createCursorCodec, CURSOR_TTL_MS, cursorBinding } from '../../shared/paging/cursor.js';
import { useSeed } from '../support/seed.js';

useSeed('test/query/cursor.test.ts');

const newKey = () => randomBytes(32).toString('base64');
const position = {
  after: '2024-03-01T10:00:00.000Z|abcdefghijklmnopqrstuvwxyz0',
  window: { startMs: 1_700_000_000_000, endMs: 1_702_000_000_000 },
};

/** The promise rejects with a 400 validation_failed naming exactly the `cursor` field. */
async function expectCursorError(promise: Promise<unknown>, message?: RegExp) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  const app = error as AppError;
  expect([app.status, app.code]).toEqual([400, 'validation_failed']);
  expect(app.errors?.map((e) => e.field)).toEqual(['cursor']);
  if (message) expect(app.errors?.[0]?.message).toMatch(message);
}

describe('query cursors', () => {
  const binding = cursorBinding('user-a', { endpoint: 'calendar-events', start_date: 1 });

  it('round-trips the position and the frozen window for the binding it was issued for', async () => {
    const codec = createCursorCodec(createLocalKeyProvider({ key: newKey() }));
    const cursor = await codec.issue(binding, position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(await codec.open(binding, cursor)).toEqual(position);
    const noWindow = await codec.issue(binding, { after: '8293|id' });
    expect(await codec.open(binding, noWindow)).toEqual({ after: '8293|id' });
  });

  it('binds to the caller and to the normalised query', async () => {
    const codec = createCursorCodec(createLocalKeyProvider({ key: newKey() }));
    const cursor = await codec.issue(binding, position);
    await expectCursorError(
      codec.open(cursorBinding('user-b', { endpoint: 'calendar-events', start_date: 1 }), cursor),
      /another query/,
    );
    await expectCursorError(
      codec.open(cursorBinding('user-a', { endpoint: 'calendar-events', start_date: 2 }), cursor),
      /another query/,
    );
    expect(cursorBinding('u', { a: 1, b: null })).toBe(cursorBinding('u', { a: 1, b: null }));
  });

  it('refuses every single-character change of a cursor', async () => {
    const codec = createCursorCodec(createLocalKeyProvider({ key: newKey() }));
    const cursor = await codec.issue(binding, position);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: cursor.length - 1 }), fc.constantFrom(...alphabet), async (at, ch) => {
        fc.pre(cursor[at] !== ch);
        await expectCursorError(codec.open(binding, cursor.slice(0, at) + ch + cursor.slice(at + 1)));
      }),
      { numRuns: 300 },
    );
    // Truncated, extended, or not a cursor at all.
    for (const bad of [
      cursor.slice(0, -1),
      cursor + 'A',
      cursor.split('.')[0] ?? '',
      'x',
      '..',
      `${cursor}.${cursor}`,
    ]) {
      await expectCursorError(codec.open(binding, bad));
    }
  });

  it('refuses a well-formed cursor signed with a key it does not hold, and a forged payload', async () => {
    const attacker = createCursorCodec(createLocalKeyProvider({ key: newKey() }));
    const codec = createCursorCodec(createLocalKeyProvider({ key: newKey() }));
    await expectCursorError(codec.open(binding, await attacker.issue(binding, position)));
    // A payload naming the right key version but MACed with a guessed key.
    const genuine = await codec.issue(binding, position);
    const payload = JSON.parse(Buffer.from(genuine.split('.')[0] ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const text = Buffer.from(JSON.stringify({ ...payload, a: '0000-00-00|x' })).toString('base64url');
    const guessed = createHmac(
      'sha256',
      Buffer.from(hkdfSync('sha256', randomBytes(32), Buffer.alloc(0), 'query-cursor-v1', 32)),
    )
      .update(text)
      .digest('base64url');
    await expectCursorError(codec.open(binding, `${text}.${guessed}`));
  });

  it('expires after its time to live', async () => {
    let now = Date.UTC(2024, 0, 1);
    const keys = createLocalKeyProvider({ key: newKey() });
    const codec = createCursorCodec(keys, { now: () => now });
    const cursor = await codec.issue(binding, position);
    now += CURSOR_TTL_MS - 1;
    expect((await codec.open(binding, cursor)).after).toBe(position.after);
    now += 1;
    await expectCursorError(codec.open(binding, cursor), /expired/);
  });

  it('survives a key rotation: verified with the key version it names', async () => {
    const oldKey = newKey();
    const newKeyText = newKey();
    const cursor = await createCursorCodec(createLocalKeyProvider({ key: oldKey })).issue(binding, position);
    const rotated = createLocalKeyProvider({ key: newKeyText, previousKeys: [oldKey] });
    const after = createCursorCodec(rotated);
    expect(await after.open(binding, cursor)).toEqual(position);
    // New cursors name the new version; once the old key is purged, old cursors are refused.
    const fresh = await after.issue(binding, position);
    const version = (c: string) =>
      (JSON.parse(Buffer.from(c.split('.')[0] ?? '', 'base64url').toString()) as { k: string }).k;
    expect(version(fresh)).toBe((await rotated.current()).version);
    expect(version(cursor)).not.toBe(version(fresh));
    const purged = createCursorCodec(createLocalKeyProvider({ key: newKeyText }));
    expect(await purged.open(binding, fresh)).toEqual(position);
    await expectCursorError(purged.open(binding, cursor));
  });

  it("answers a key store outage with the store's 503, not a 400 blaming the cursor", async () => {
    const keys = createLocalKeyProvider({ key: newKey() });
    const cursor = await createCursorCodec(keys).issue(binding, position);
    const unreachable = async () => Promise.reject(new KeyUnavailableError('vault unreachable'));
    const down: KeyProvider = { ...keys, current: unreachable, byVersion: unreachable };
    const error = await createCursorCodec(down)
      .open(binding, cursor)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyUnavailableError);
    expect((error as AppError).status).toBe(503);
  });

  it('refuses a cursor naming a key version it never signed with, without asking the key store', async () => {
    const keys = createLocalKeyProvider({ key: newKey() });
    const cursor = await createCursorCodec(keys).issue(binding, position);
    const [text = ''] = cursor.split('.');
    const payload = JSON.parse(Buffer.from(text, 'base64url').toString());
    let asked = 0;
    const counting: KeyProvider = { ...keys, byVersion: async (v) => (asked++, keys.byVersion(v)) };
    const forged = `${Buffer.from(JSON.stringify({ ...payload, k: 'attacker-version-1' })).toString('base64url')}.${cursor.split('.')[1]}`;
    await expectCursorError(createCursorCodec(counting).open(binding, forged));
    expect(asked).toBe(0);
  });
});
