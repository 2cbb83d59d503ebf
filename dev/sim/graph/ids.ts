import { createHash } from 'node:crypto';

// Everything the simulator invents (ids, change keys, sample data) comes from these helpers, so a
// given seed always yields the same mailbox and calendar. Math.random is never used.

/** A seeded PRNG (mulberry32) with a few conveniences. */
export interface Rng {
  next(): number;
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(0, items.length - 1)] as T;
    },
    shuffle: <T>(items: readonly T[]): T[] => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(0, i);
        [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
      }
      return copy;
    },
  };
}

export function digest(...parts: Array<string | number>): Buffer {
  return createHash('sha256').update(parts.join('\u0000')).digest();
}

/** A 32-bit seed derived from arbitrary parts. */
export function seedOf(...parts: Array<string | number>): number {
  return digest(...parts).readUInt32LE(0);
}

/** A version-4-shaped GUID derived from the parts. */
export function guidOf(...parts: Array<string | number>): string {
  const b = Buffer.from(digest(...parts).subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Fixed tenant shared by every simulated user. */
export const SIM_TENANT_ID = '7d1c3b5e-2f4a-4c6b-9e8d-1a2b3c4d5e6f';
/** The application id reported on subscriptions (GraphRequest carries no client id). */
export const SIM_APPLICATION_ID = '3e6a9f1c-8b2d-4e7f-a1c5-9d0b2e4f6a8c';

// Exchange ids are long URL-safe base64 strings; the prefix says which kind of item it is.
export function graphId(prefix: 'AAMkAG' | 'AQMkAD', ...parts: Array<string | number>): string {
  const body = Buffer.concat([digest(...parts), digest('more', ...parts)]).toString('base64url');
  return `${prefix}${body.slice(0, 70)}AAA=`;
}

/** Exchange change keys are standard base64 of a version blob. */
export function changeKeyOf(id: string, version: number): string {
  return `EQAAABYAAA${digest('ck', id, version).subarray(0, 16).toString('base64')}`;
}

export const etagOf = (changeKey: string): string => `W/"${changeKey}"`;

export function iCalUIdOf(...parts: Array<string | number>): string {
  return `040000008200E00074C5B7101A82E00800000000${digest('ical', ...parts)
    .toString('hex')
    .toUpperCase()
    .slice(0, 56)}`;
}
