import type { KeyProvider } from './crypto/key-provider.js';
import type { StorageAccount } from './storage/account.js';

/** What the health check probes: storage and the token-encryption key. */
export interface HealthPorts {
  storage: StorageAccount;
  keys: KeyProvider;
}

export type CheckResult = 'ok' | 'unavailable';

const TIMEOUT_MS = 3_000;

/** Runs a check with a deadline: a dependency that hangs is as down as one that refuses. */
async function probe(check: () => Promise<unknown>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), deadline]);
    return 'ok';
  } catch {
    return 'unavailable';
  } finally {
    clearTimeout(timer);
  }
}

export type Health = { healthy: boolean; checks: Record<'storage' | 'key', CheckResult> };

// The endpoint is anonymous: the answer is reused for a few seconds, so polling it (or hammering
// it) costs storage and Key Vault at most one probe each per interval.
const REUSE_MS = 5_000;
const recent = new WeakMap<HealthPorts, { at: number; result: Promise<Health> }>();

export function checkHealth(deps: HealthPorts, now = Date.now()): Promise<Health> {
  let last = recent.get(deps);
  if (!last || now - last.at >= REUSE_MS) {
    last = { at: now, result: probeAll(deps) };
    recent.set(deps, last);
  }
  return last.result;
}

/** Storage answers a point read, and the token-encryption key can be had. */
async function probeAll(deps: HealthPorts): Promise<Health> {
  const [storage, key] = await Promise.all([
    probe(async () => {
      const table = await deps.storage.table('Integrations');
      await table
        .listEntities({ queryOptions: { filter: "PartitionKey eq '~health'" } })
        .byPage({ maxPageSize: 1 })
        .next();
    }),
    probe(() => deps.keys.check()),
  ]);
  return { healthy: storage === 'ok' && key === 'ok', checks: { storage, key } };
}
