import type { Deps } from './deps.js';

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

/** Storage answers a point read, and the token-encryption key can be had. */
export async function checkHealth(deps: Deps): Promise<{ healthy: boolean; checks: Record<'storage' | 'key', CheckResult> }> {
  const [storage, key] = await Promise.all([
    probe(async () => {
      const table = await deps.storage.table('Integrations');
      await table.listEntities({ queryOptions: { filter: "PartitionKey eq '~health'" } }).byPage({ maxPageSize: 1 }).next();
    }),
    probe(() => deps.keys.check()),
  ]);
  return { healthy: storage === 'ok' && key === 'ok', checks: { storage, key } };
}
