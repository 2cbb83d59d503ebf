import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// A subscription's clientState: 256 random bits (Graph allows 128 characters), sent to Graph once at
// creation and kept here only as its SHA-256, so a leaked table cannot forge notifications.

/** A fresh clientState (base64url of 32 random bytes: 43 characters). */
export const newClientState = (): string => randomBytes(32).toString('base64url');

export const hashClientState = (clientState: string): string =>
  createHash('sha256').update(clientState, 'utf8').digest('hex');

/** Whether a notification's clientState is the subscription's: hashes compared in constant time. */
export function clientStateMatches(given: string | null | undefined, storedHash: string): boolean {
  const actual = Buffer.from(hashClientState(given ?? ''), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  // Unequal lengths only for a broken stored hash; the comparison itself never short-circuits.
  return actual.length === expected.length && timingSafeEqual(actual, expected) && typeof given === 'string';
}
