import { defineConfig } from 'vitest/config';
import { devTrustPath } from './dev/certs.mjs';

// Node reads NODE_EXTRA_CA_CERTS only when a process starts, so it is set here, in the parent,
// before vitest forks its workers: MSAL, the Graph client and fetch then trust the local
// HTTPS stand-ins exactly as they would trust Microsoft, and still trust whatever CA file the
// user's own NODE_EXTRA_CA_CERTS named (then it names a bundle of both).
process.env.NODE_EXTRA_CA_CERTS = await devTrustPath(process.env.NODE_EXTRA_CA_CERTS);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Both cores: most test files wait on Azurite, the simulator and the host, so two files overlap well
    // (npm test: 3.5 min instead of 6 on this 2-core machine).
    maxWorkers: 2,
    // Fails any test file whose log lines carry a token, code or secret (test/adversarial, issue 8).
    setupFiles: ['test/support/secret-watch.setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
