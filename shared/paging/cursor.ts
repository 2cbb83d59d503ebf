import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { UnknownKeyVersionError } from '../crypto/errors.js';
import { keyVersionPattern, type KeyProvider } from '../crypto/key-provider.js';
import { AppError } from '../errors.js';

// A cursor is `<base64url payload>.<base64url HMAC-SHA256 of the payload text>`. The MAC key is
// derived from the token-encryption key (HKDF, its own `info`), so cursors need no extra secret and
// a cursor can never be mistaken for a sealed token. The payload names the key version, so a cursor
// issued just before a key rotation still verifies after it.

export const CURSOR_TTL_MS = 24 * 3600 * 1000;
const HKDF_INFO = 'query-cursor-v1';
const SHAPE = /^[A-Za-z0-9_-]{1,1900}\.[A-Za-z0-9_-]{43}$/;

const payloadSchema = z.strictObject({
  v: z.literal(1),
  k: z.string().regex(keyVersionPattern),
  /** Hash of the caller's user key and the normalised query. */
  q: z.string().max(64),
  /** Expiry, epoch ms. */
  x: z.number().int(),
  /** Sort key of the last item returned (its row key without the prefix): resume after it. */
  a: z.string().min(1).max(300),
  /** The window of a calendar query, frozen at the first page so that defaults do not drift. */
  w: z.tuple([z.number().int(), z.number().int()]).optional(),
});

/** A calendar query's half-open window [startMs, endMs), as a cursor carries it. */
export interface Window {
  startMs: number;
  endMs: number;
}

/** Where the next page starts, as carried by a verified cursor. */
export interface CursorPosition {
  after: string;
  window?: Window;
}

/**
 * What a cursor is bound to: the caller and the query that made it. `query` must be built with a
 * fixed key order (JSON.stringify is then canonical).
 */
export function cursorBinding(userKey: string, query: object): string {
  return createHash('sha256').update(userKey).update('\n').update(JSON.stringify(query)).digest('base64url');
}

const invalid = (message: string) =>
  new AppError('validation_failed', 'One or more fields are not valid.', [{ field: 'cursor', message }]);

const macKey = (key: Buffer) => Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), HKDF_INFO, 32));
const mac = (key: Buffer, text: string) => createHmac('sha256', macKey(key)).update(text).digest();

export interface CursorCodec {
  issue(binding: string, position: CursorPosition): Promise<string>;
  /** The position of a cursor issued for this binding; a 400 naming `cursor` for anything else. */
  open(binding: string, cursor: string): Promise<CursorPosition>;
}

// Key versions this process has seen as current (bounded: keys rotate rarely). A cursor naming
// any other version is refused before the key store is asked, so forged cursors cannot turn each
// request into a Key Vault read. After a rotation, a new instance refuses cursors signed with the
// old key: the SPA starts that list again from its first page.
const signedWith = new Set<string>();
const remember = (version: string) => {
  signedWith.add(version);
  if (signedWith.size > 32) signedWith.delete(signedWith.values().next().value as string);
};

export function createCursorCodec(
  keys: KeyProvider,
  options: { now?: () => number; ttlMs?: number } = {},
): CursorCodec {
  const now = options.now ?? Date.now;
  const ttl = options.ttlMs ?? CURSOR_TTL_MS;
  return {
    async issue(binding, position) {
      const { version, key } = await keys.current();
      remember(version);
      const payload: z.infer<typeof payloadSchema> = {
        v: 1,
        k: version,
        q: binding,
        x: now() + ttl,
        a: position.after,
      };
      if (position.window) payload.w = [position.window.startMs, position.window.endMs];
      const text = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${text}.${mac(key, text).toString('base64url')}`;
    },

    async open(binding, cursor) {
      if (!SHAPE.test(cursor)) throw invalid('is not a cursor this API issued');
      const [text = '', signature = ''] = cursor.split('.');
      const parsed = payloadSchema.safeParse(parseJson(Buffer.from(text, 'base64url').toString('utf8')));
      if (!parsed.success) throw invalid('is not a cursor this API issued');
      const payload = parsed.data;
      let key: Buffer;
      try {
        const current = await keys.current();
        remember(current.version);
        if (!signedWith.has(payload.k)) throw invalid('is not a cursor this API issued');
        key = payload.k === current.version ? current.key : await keys.byVersion(payload.k);
      } catch (error) {
        if (error instanceof UnknownKeyVersionError) throw invalid('is not a cursor this API issued');
        throw error; // the key store is down: a 503, not the caller's fault
      }
      // Compared as text: base64url's last character has spare bits, so decoding first would let
      // two spellings of one cursor both pass.
      const given = Buffer.from(signature);
      const expected = Buffer.from(mac(key, text).toString('base64url'));
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw invalid('is not a cursor this API issued');
      if (payload.q !== binding)
        throw invalid('belongs to another query; start again without a cursor after changing a filter');
      if (payload.x <= now()) throw invalid('has expired; start again without a cursor');
      return { after: payload.a, ...(payload.w ? { window: { startMs: payload.w[0], endMs: payload.w[1] } } : {}) };
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
