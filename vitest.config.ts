import { defineConfig } from 'vitest/config';
import { ensureDevCertificate } from './dev/certs.mjs';

// Node reads NODE_EXTRA_CA_CERTS only when a process starts, so it is set here, in the parent,
// before vitest forks its workers: MSAL, the Graph client and fetch then trust the local
// HTTPS stand-ins exactly as they would trust Microsoft.
const { certPath } = await ensureDevCertificate();
process.env.NODE_EXTRA_CA_CERTS = certPath;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Fails any test file whose log lines carry a token, code or secret (test/adversarial, issue 8).
    setupFiles: ['test/support/secret-watch.setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
