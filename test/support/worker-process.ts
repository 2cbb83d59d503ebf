// A sync worker in a process of its own (the crash test kills it with SIGKILL). Settings come from
// the environment the test passes; it serves only the queue trigger.
import { join } from 'node:path';
import { syncWorker } from '../../functions/sync-worker.js';
import { startHost } from '../../dev/host/host.js';

const host = await startHost({
  definitions: [syncWorker],
  port: 0,
  hostJsonPath: join(import.meta.dirname, 'host.test.json'),
  messageLeaseMs: Number(process.env.TEST_MESSAGE_LEASE_MS ?? 600_000),
  log: (line) => process.stdout.write(`${line}\n`),
});
process.stdout.write('worker ready\n');
process.on('SIGTERM', () => void host.stop().then(() => process.exit(0)));
