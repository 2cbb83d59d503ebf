import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncWorker } from '../../functions/sync-worker.js';
import { startHost, type RunningHost } from '../../dev/host/host.js';
import { folderId, mailboxTruth, simControl } from '../support/sim-control.js';
import { startStack, type Stack } from '../support/stack.js';
import { byId, storedRows, truthMessage, waitFor } from '../support/truth.js';
import { mailCutoff } from '../../shared/sync/mail-stream.js';

const here = dirname(fileURLToPath(import.meta.url));
const LEASE_MS = 2_000;
let stack: Stack;
let child: ChildProcess | undefined;
let second: RunningHost | undefined;

beforeAll(async () => {
  // The stack serves HTTP only: the first worker is a separate process, killed mid-sync.
  stack = await startStack({ serve: 'http', settings: { GRAPH_PAGE_SIZE: '20' } });
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await second?.stop();
  await stack?.stop();
});

describe('a worker process killed mid-sync', () => {
  it('redelivery finishes with zero duplicates and zero missing items', async () => {
    const email = 'crash@contoso.example';
    stack.user(email, { email, mailbox: { messages: 900 }, calendar: { events: 10 } });
    const token = await stack.callerToken(email);
    const id = (await stack.connect(email, 'microsoft_outlook')).body.id;
    await simControl(stack.sim, 'POST', 'faults', { latency_ms: 40 });

    child = spawn(
      process.execPath,
      [
        '--experimental-transform-types',
        '--no-warnings',
        '--import',
        join(here, '..', 'support', 'ts-hooks.mjs'),
        join(here, '..', 'support', 'worker-process.ts'),
      ],
      {
        env: { ...process.env, TEST_MESSAGE_LEASE_MS: String(LEASE_MS) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));

    // Wait until some pages are committed and checkpointed, then kill the process outright.
    const state = TableClient.fromConnectionString(stack.azurite.connectionString, 'SyncState', {
      allowInsecureConnection: true,
    });
    await waitFor(
      async () => {
        try {
          const row = await state.getEntity<{ nextLink?: string }>(id, 'mail:inbox');
          return Boolean(row.nextLink) && (await storedRows(stack, 'EmailMessages', id)).items.length >= 60;
        } catch {
          return false;
        }
      },
      60_000,
      50,
    ).catch((error) => {
      throw new Error(`${error}\n${output}`);
    });
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    const partial = (await storedRows(stack, 'EmailMessages', id)).items.length;
    await simControl(stack.sim, 'DELETE', 'faults');

    // A new worker: the message comes back once the dead worker's lease lapses.
    second = await startHost({
      definitions: [syncWorker],
      port: 0,
      hostJsonPath: join(here, '..', 'support', 'host.test.json'),
      messageLeaseMs: LEASE_MS,
      log: (l) => stack.logs.push(l),
    });
    const body = await waitFor(async () => {
      const res = await stack.api('GET', `integrations/${id}`, { token });
      return res.body.last_sync?.status === 'succeeded' ? res.body : undefined;
    }, 90_000);
    expect(stack.logs.some((l) => l.includes("Functions.syncWorker' (Succeeded"))).toBe(true);

    const cutoff = mailCutoff(new Date(), 30).getTime();
    const inbox = await folderId(stack.sim, email, 'inbox');
    const truth = (await mailboxTruth(stack.sim, email)).filter(
      (m) => m.parentFolderId === inbox && Date.parse(m.receivedDateTime) >= cutoff,
    );
    const { items, pointers } = await storedRows(stack, 'EmailMessages', id);
    expect(partial).toBeLessThan(truth.length);
    expect(items.length).toBe(byId(items).size); // zero duplicates
    expect(pointers).toBe(items.length);
    expect(byId(items)).toEqual(byId(truth.map(truthMessage))); // zero missing, nothing extra
    // The resumed run wrote what was missing, not everything again.
    expect(body.last_sync.items_upserted).toBeGreaterThanOrEqual(truth.length - partial);
    expect(body.last_sync.items_upserted).toBeLessThan(truth.length);
  });
});
