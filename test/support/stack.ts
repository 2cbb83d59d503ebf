import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { definitions } from '../../functions/all.js';
import type { FunctionDefinition } from '../../shared/functions/definitions.js';
import type { Provider } from '../../shared/providers.js';
import { startHost, type RunningHost } from '../../dev/host/host.js';
import { startAzurite, type Azurite } from './azurite.js';
import { useSettings } from './settings.js';
import { openAuthorizeUrl, startTestSimulator, type TestSimulator } from './sim.js';

const here = dirname(fileURLToPath(import.meta.url));

export interface Stack {
  azurite: Azurite;
  sim: TestSimulator['sim'];
  host: RunningHost;
  /** Every line the host and the app logged, in order. */
  logs: string[];
  api(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: any }>;
  callerToken(email: string): Promise<string>;
  /** Creates a simulated Microsoft user (small calendar and mailbox unless given). */
  user(email: string, seed?: Parameters<TestSimulator['sim']['createUser']>[0]): void;
  /** Runs the whole OAuth flow for a caller and a Microsoft account; returns the callback's answer. */
  connect(callerEmail: string, provider: Provider, microsoftEmail?: string): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/**
 * The whole app as it runs locally: Azurite, the Microsoft simulator, and the local host serving
 * every function definition over real HTTP, with the queue trigger and timers live.
 */
export async function startStack(options: { settings?: Record<string, string | undefined>; definitions?: FunctionDefinition[]; seed?: number } = {}): Promise<Stack> {
  const azurite = await startAzurite();
  const { sim, settings } = await startTestSimulator({ seed: options.seed });
  useSettings({ ...settings, AUTH_MODE: 'jwt', AzureWebJobsStorage: azurite.connectionString, SYNC_SCHEDULE: '0 0 0 1 1 *', ...options.settings });
  const logs: string[] = [];
  const capture = (line: string) => logs.push(line);
  const host = await startHost({ definitions: options.definitions ?? definitions, port: 0, hostJsonPath: join(here, 'host.test.json'), log: capture });

  const api = apiClient(host.url);

  const users = new Set<string>();
  const user: Stack['user'] = (email, seed) => {
    if (users.has(email)) return;
    users.add(email);
    sim.createUser(seed ?? { email, calendar: { events: 12, recurring_series: 1, all_day: 1 }, mailbox: { messages: 15 } });
  };

  const callerToken = (email: string) => {
    user(email);
    return sim.callerToken(email);
  };

  return {
    azurite,
    sim,
    host,
    logs,
    api,
    user,
    callerToken,
    async connect(callerEmail, provider, microsoftEmail = callerEmail) {
      user(microsoftEmail);
      const token = await callerToken(callerEmail);
      const started = await api('POST', 'integrations/oauth/initiate', { token, body: { provider, login_hint: microsoftEmail } });
      if (started.status !== 200) return started;
      const outcome = await openAuthorizeUrl(started.body.authorization_url);
      const params = outcome.params ?? new URLSearchParams();
      const body = params.get('code')
        ? { provider, state: params.get('state'), code: params.get('code') }
        : { provider, state: params.get('state') ?? started.body.state, error: params.get('error') ?? 'unknown' };
      return api('POST', 'integrations/oauth/callback', { token, body });
    },
    async stop() {
      await host.stop();
      await sim.close();
      await azurite.stop();
    },
  };
}

/** Reads an HTTP answer: the body as JSON when it parses, else as text. */
export async function readAnswer(res: Response): Promise<{ status: number; headers: Headers; body: any }> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, headers: res.headers, body };
}

/** JSON calls to the app's API under `${baseUrl}/api/`, with an optional caller token. */
export function apiClient(baseUrl: string): Stack['api'] {
  return async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] ??= 'application/json';
    const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    return readAnswer(await fetch(`${baseUrl}/api/${path}`, { method, headers, body }));
  };
}
