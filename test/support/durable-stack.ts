import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { definitions } from '../../functions/all.js';
import { startHost } from '../../dev/host/host.js';
import { startAzurite } from './azurite.js';
import { useSettings } from './settings.js';
import { openAuthorizeUrl, startTestSimulator } from './sim.js';
import { apiClient, type Stack } from './stack.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The stack of stack.ts, for outage tests: Azurite keeps its data on disk (so `azurite.stop()` and
 * `start()` are an outage, not a wipe), and queue messages come back after `messageLeaseMs` when the
 * host could not settle them (the runtime's lease is 10 minutes; a test cannot wait that long).
 */
export async function startDurableStack(options: { settings?: Record<string, string | undefined>; messageLeaseMs: number }): Promise<Stack> {
  const persistDir = await mkdtemp(join(tmpdir(), 'azurite-durable-'));
  const azurite = await startAzurite({ persistDir });
  const { sim, settings } = await startTestSimulator();
  useSettings({ ...settings, AUTH_MODE: 'jwt', AzureWebJobsStorage: azurite.connectionString, SYNC_SCHEDULE: '0 0 0 1 1 *', ...options.settings });
  const logs: string[] = [];
  const host = await startHost({ definitions, port: 0, hostJsonPath: join(here, 'host.test.json'), log: (line) => logs.push(line), messageLeaseMs: options.messageLeaseMs });

  const api = apiClient(host.url);
  const users = new Set<string>();
  const user: Stack['user'] = (email, seed) => {
    if (users.has(email)) return;
    users.add(email);
    sim.createUser(seed ?? { email, calendar: { events: 12 }, mailbox: { messages: 15 } });
  };
  const callerToken = (email: string) => (user(email), sim.callerToken(email));

  return {
    azurite, sim, host, logs, api, user, callerToken,
    async connect(callerEmail, provider, microsoftEmail = callerEmail) {
      user(microsoftEmail);
      const token = await callerToken(callerEmail);
      const started = await api('POST', 'integrations/oauth/initiate', { token, body: { provider, login_hint: microsoftEmail } });
      if (started.status !== 200) return started;
      const params = (await openAuthorizeUrl(started.body.authorization_url)).params ?? new URLSearchParams();
      return api('POST', 'integrations/oauth/callback', { token, body: { provider, state: params.get('state'), code: params.get('code') } });
    },
    async stop() {
      await host.stop();
      await sim.close();
      await azurite.stop();
      await rm(persistDir, { recursive: true, force: true });
    },
  };
}
