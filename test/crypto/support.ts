import { randomBytes } from 'node:crypto';
import type { TokenCredential } from '../../shared/crypto/keyvault-key-provider.js';

export const TEST_TOKEN = 'kv-test-access-token';

/** Base64 of 32 fresh random bytes: a valid key secret. */
export const newKeyBase64 = (): string => randomBytes(32).toString('base64');

/** A static TokenCredential that records what the SDK asked it for. */
export function staticCredential(): TokenCredential & { asked: { scopes: string[]; tenantId?: string }[] } {
  const asked: { scopes: string[]; tenantId?: string }[] = [];
  return {
    asked,
    async getToken(scopes, options) {
      asked.push({ scopes: [scopes].flat(), ...(options?.tenantId ? { tenantId: options.tenantId } : {}) });
      return { token: TEST_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

/** A clock tests move by hand. */
export function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = Date.now();
  return { now: () => t, advance: (ms) => void (t += ms) };
}
