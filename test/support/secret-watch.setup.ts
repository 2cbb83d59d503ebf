import { afterAll, beforeAll } from 'vitest';
import { installSecretWatch, leaksSoFar, registerSecret, resetSecretWatch } from './secret-watch.js';

// vitest setupFiles entry (vitest.config.ts): runs before every test file, in its process. Every
// line that file logs is checked, after its last test, against every secret its simulators issued
// or received, the token-encryption key and the client secret in use, and against secrets known by
// their shape (AccountKey=, SharedAccessKey=, a SAS's sig=, form-encoded credentials): one hit
// fails the file.
// Settings are read from the environment (test/support/settings.ts puts them there), at the start
// and at the end of the file.

installSecretWatch();
resetSecretWatch();

const fromSettings = () => {
  registerSecret(process.env.TOKEN_ENCRYPTION_KEY, 'TOKEN_ENCRYPTION_KEY');
  registerSecret(process.env.MICROSOFT_CLIENT_SECRET, 'MICROSOFT_CLIENT_SECRET');
  registerSecret(/AccountKey=([^;]+)/.exec(process.env.AzureWebJobsStorage ?? '')?.[1], 'storage account key');
};

beforeAll(fromSettings);
afterAll(() => {
  fromSettings();
  const leaks = leaksSoFar();
  if (leaks.length === 0) return;
  const sample = leaks
    .slice(0, 5)
    .map((l) => `  ${l.kind}: ${l.line}`)
    .join('\n');
  throw new Error(`${leaks.length} log line(s) of this file carry a secret (masked here):\n${sample}`);
});
