import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAzurite, type Azurite } from '../../dev/azurite.js';
import { startHost, type RunningHost } from '../../dev/host/host.js';
import type { Provider } from '../../shared/providers.js';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';
import { applySettings, OFFLINE_SETTINGS } from './settings.js';
import { REDIRECT_URI, startSimProcess, type SimProcess } from './sim-process.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

export interface StackOptions {
  /** Start the simulator (default true). */
  sim?: boolean;
  /** Put the counting proxy in front of the Table endpoint the app uses. */
  countTables?: boolean;
  /** Start the local host; `worker` also runs the sync-jobs queue trigger. */
  host?: 'http' | 'worker';
  settings?: Record<string, string>;
}

/** One scenario's world: a fresh Azurite, the simulator, the app's settings, optionally the local host. */
export interface BenchStack {
  azurite: Azurite;
  /** Connection string straight to Azurite: the bench's own reads and writes, never counted. */
  direct: string;
  sim?: SimProcess;
  proxy?: CountingProxy;
  host?: RunningHost;
  /** Lines the host and the app logged that report a failure. */
  failures: string[];
  connect(email: string, provider: Provider): Promise<string>;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<BenchStack> {
  const azurite = await startAzurite();
  const stops: (() => Promise<void>)[] = [azurite.stop];
  try {
    const proxy = options.countTables ? await startCountingProxy(azurite.tablePort) : undefined;
    if (proxy) stops.unshift(proxy.close);
    const direct = azurite.connectionString;
    const app = proxy ? direct.replace(/TableEndpoint=[^;]+/, `TableEndpoint=http://127.0.0.1:${proxy.port}/devstoreaccount1`) : direct;
    const sim = options.sim === false ? undefined : await startSimProcess();
    if (sim) stops.unshift(sim.close);
    applySettings({ ...(sim?.settings ?? OFFLINE_SETTINGS), AzureWebJobsStorage: app, ...options.settings });

    const failures: string[] = [];
    let host: RunningHost | undefined;
    if (options.host) {
      const { definitions } = await import('../../functions/all.js');
      const wanted = definitions.filter((d) => d.kind === 'http' || (options.host === 'worker' && d.name === 'syncWorker'));
      const log = (line: string) => {
        if (/"level":"error"|Failed|exceeded|poison/.test(line) && failures.length < 50) failures.push(line.slice(0, 500));
      };
      host = await startHost({ definitions: wanted, port: 0, hostJsonPath: join(root, 'host.json'), log });
      stops.unshift(host.stop);
    }
    return {
      azurite,
      direct,
      sim,
      proxy,
      host,
      failures,
      connect: (email, provider) => connect(host, sim, email, provider),
      stop: async () => {
        for (const stop of stops) await stop().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const stop of stops) await stop().catch(() => undefined);
    throw error;
  }
}

/** The whole OAuth flow through the host, as the SPA and a browser would run it; returns the integration id. */
async function connect(host: RunningHost | undefined, sim: SimProcess | undefined, email: string, provider: Provider): Promise<string> {
  if (!host || !sim) throw new Error('connect needs the host and the simulator');
  const token = await sim.callerToken(email);
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${host.url}/api/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as any;
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${json?.code ?? ''}`);
    return json;
  };
  const started = await post('integrations/oauth/initiate', { provider, login_hint: email, redirect_uri: REDIRECT_URI });
  const authorize = await fetch(started.authorization_url, { redirect: 'manual' });
  await authorize.body?.cancel();
  const location = authorize.headers.get('location');
  const params = location ? new URL(location).searchParams : undefined;
  const code = params?.get('code');
  if (!code) throw new Error(`authorize did not redirect with a code (status ${authorize.status})`);
  return (await post('integrations/oauth/callback', { provider, state: params!.get('state'), code })).id;
}
