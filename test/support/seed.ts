import fc from 'fast-check';

/** The seed random tests use unless TEST_SEED says otherwise: fixed, so every run draws the same cases. */
export const DEFAULT_SEED = 20_260_301;

/**
 * The seed of one test file's random tests: TEST_SEED from the environment (to replay a printed
 * failure or explore new cases), else DEFAULT_SEED. Printed once per file. fast-check's global
 * seed is set to it too, so every fc.assert and fc.sample of the file is reproducible.
 */
export function useSeed(file: string): number {
  const raw = process.env.TEST_SEED;
  const seed = raw === undefined || raw.trim() === '' ? DEFAULT_SEED : Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`TEST_SEED must be an integer (got ${JSON.stringify(raw)})`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
  console.info(`[seed] ${file}: ${seed} (replay: TEST_SEED=${seed} npx vitest run ${file})`);
  return seed;
}
