import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionDefinition } from '../../shared/functions/definitions.js';
import type { Provider } from '../../shared/providers.js';
import type { Simulator } from '../../dev/sim/server.js';
import { startHost, type RunningHost } from '../../dev/host/host.js';
import { startAzurite, type Azurite } from './azurite.js';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';
import { useSettings } from './settings.js';
import { openAuthorizeUrl, startTestSimulator } from './sim.js';
import { startSimProcess, type SimProcess } from './sim-process.js';

// The one helper that starts the app as it runs locally, for the e2e and adversarial tests and for
// the benchmarks. What differs between them is an option: where the simulator runs, which triggers
// the host serves, whether Azurite keeps its data across a restart, whether table traffic is counted.

/** Where the Microsoft simulator runs: in this process (tests), in a child process (benchmarks), or not at all. */
export type SimulatorKind = 'in-process' | 'child-process' | 'none';
type SimulatorOf<K extends SimulatorKind> = K extends 'in-process'
  ? Simulator
  : K extends 'child-process'
    ? SimProcess
    : never;

export interface StackOptions<K extends SimulatorKind = 'in-process'> {
  /** Default `in-process`. The child process keeps the simulator's CPU out of a benchmark's figures. */
  simulator?: K;
  /** Seed of the in-process simulator's generated data. */
  seed?: number;
  /** App settings over the stack's own (Azurite, the simulator, AUTH_MODE=jwt, a timer that never fires). */
  settings?: Record<string, string | undefined>;
  /**
   * Which function definitions the host serves: all of them (default), the HTTP ones, the HTTP ones
   * and the sync worker, an explicit list, or `none` (no host at all).
   */
  serve?: 'all' | 'http' | 'http+worker' | 'none' | FunctionDefinition[];
  /** host.json: the tests' (default; short queue polling) or the app's own. */
  hostJson?: 'test' | 'app';
  /**
   * Azurite keeps its data on disk, so `azurite.stop()` and `start()` are an outage, not a wipe, and
   * queue messages the host could not settle come back after `messageLeaseMs` (the runtime's lease
   * is 10 minutes; a test cannot wait that long).
   */
  durable?: { messageLeaseMs: number };
  /** Puts a proxy in front of the Table endpoint the app uses that counts its traffic per table. */
  countTables?: boolean;
  /**
   * Real time: WEBHOOK_BASE_URL is set to the host's own URL once it listens (the port is picked at
   * start), so the simulator's notifications reach this host.
   */
  webhooks?: boolean;
  /** Keep every log line in `logs` (default true; a load benchmark keeps only `failures`). */
  keepLogs?: boolean;
  /** The SPA's built files, served by the host at `/` (browser tests). */
  web?: string;
  /** The host's port (default: a free one); a browser test needs it before the start for its redirect URI. */
  port?: number;
  /** The OAuth redirect URI registered with the in-process simulator and allowed by the app. */
  redirectUri?: string;
}

export interface Answer {
  status: number;
  headers: Headers;
  // The tests read arbitrary JSON answers field by field.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface Stack<K extends SimulatorKind = 'in-process'> {
  azurite: Azurite;
  /** Connection string straight to Azurite: a test's or benchmark's own reads and writes, never counted. */
  direct: string;
  /** The simulator (throws when the stack runs without one). */
  sim: SimulatorOf<K>;
  /** The local Functions host (throws when the stack serves nothing). */
  host: RunningHost;
  /** The counting proxy (throws unless `countTables`). */
  proxy: CountingProxy;
  /** Every line the host and the app logged, in order (empty with `keepLogs: false`). */
  logs: string[];
  /** The first 50 logged lines that report a failure. */
  failures: string[];
  api(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Answer>;
  /** A caller token for the SPA's user (created in the in-process simulator when new). */
  callerToken(email: string): Promise<string>;
  /** Creates a simulated Microsoft user in the in-process simulator (small calendar and mailbox unless given). */
  user(email: string, seed?: Parameters<Simulator['createUser']>[0]): void;
  /** Runs the whole OAuth flow for a caller and a Microsoft account; returns the callback's answer. */
  connect(
    callerEmail: string,
    provider: Provider,
    microsoftEmail?: string,
    /** More fields of the initiate body (`access`, `shared_calendars`). */
    initiate?: Record<string, unknown>,
  ): Promise<{ status: number; body: Answer['body'] }>;
  /** `connect` that must succeed: returns the new integration's id, throws with the answer's code otherwise. */
  connectedId(email: string, provider: Provider): Promise<string>;
  stop(): Promise<void>;
}

/** The repository root, found from here both in the sources (vitest) and in dist/ (the benchmarks). */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above test/support');
    dir = up;
  }
  return dir;
}

const FAILURE_LINE = /"level":"error"|Failed|exceeded|poison/;
const NEVER = '0 0 0 1 1 *'; // the fan-out timer never fires: tests and benchmarks call the scheduler themselves

const missing = (what: string, option: string) => () => {
  throw new Error(`this stack has no ${what} (${option})`);
};

/**
 * The whole app as it runs locally: a fresh Azurite, the Microsoft simulator, the app's settings
 * pointed at them, and the local host serving the function definitions over real HTTP, with the
 * queue trigger and timers live. Anything started is stopped again if a later part fails to start.
 */
export async function startStack<K extends SimulatorKind = 'in-process'>(
  options: StackOptions<K> = {},
): Promise<Stack<K>> {
  const kind: SimulatorKind = options.simulator ?? 'in-process';
  const stops: (() => Promise<void>)[] = [];
  try {
    const persistDir = options.durable ? await mkdtemp(join(tmpdir(), 'azurite-durable-')) : undefined;
    if (persistDir) stops.unshift(() => rm(persistDir, { recursive: true, force: true }));
    const azurite = await startAzurite({ persistDir });
    stops.unshift(azurite.stop);
    const proxy = options.countTables ? await startCountingProxy(azurite.tablePort) : undefined;
    if (proxy) stops.unshift(proxy.close);
    const direct = azurite.connectionString;
    const storage = proxy
      ? direct.replace(/TableEndpoint=[^;]+/, `TableEndpoint=http://127.0.0.1:${proxy.port}/devstoreaccount1`)
      : direct;

    let inProcess: Simulator | undefined;
    let child: SimProcess | undefined;
    let simSettings: Record<string, string> = {};
    if (kind === 'in-process') {
      const started = await startTestSimulator({
        seed: options.seed,
        ...(options.redirectUri ? { redirectUri: options.redirectUri } : {}),
      });
      inProcess = started.sim;
      simSettings = { ...started.settings };
      stops.unshift(() => started.sim.close());
    } else if (kind === 'child-process') {
      child = await startSimProcess();
      simSettings = child.settings;
      stops.unshift(child.close);
    }
    // Without a simulator the app keeps useSettings' Easy Auth defaults: nothing talks to Microsoft.
    const auth = kind === 'none' ? {} : { AUTH_MODE: 'jwt' };
    const appSettings = {
      ...simSettings,
      ...auth,
      AzureWebJobsStorage: storage,
      SYNC_SCHEDULE: NEVER,
      SUBSCRIPTION_RENEWAL_SCHEDULE: NEVER,
      ...options.settings,
    };
    useSettings(appSettings);

    const logs: string[] = [];
    const failures: string[] = [];
    const log = (line: string) => {
      if (options.keepLogs !== false) logs.push(line);
      if (FAILURE_LINE.test(line) && failures.length < 50) failures.push(line.slice(0, 500));
    };
    const served = await servedDefinitions(options.serve ?? 'all');
    const root = repositoryRoot();
    const host = served
      ? await startHost({
          definitions: served,
          port: options.port ?? 0,
          staticRoot: options.web,
          hostJsonPath:
            options.hostJson === 'app' ? join(root, 'host.json') : join(root, 'test', 'support', 'host.test.json'),
          log,
          ...(options.durable ? { messageLeaseMs: options.durable.messageLeaseMs } : {}),
        })
      : undefined;
    if (host) stops.unshift(host.stop);
    // Settings are parsed at the first invocation: the base is in place before any request.
    if (options.webhooks && host) useSettings({ ...appSettings, WEBHOOK_BASE_URL: host.url });

    const noHost = missing('host', "serve: 'none'");
    const client = host ? apiClient(host.url) : undefined;
    const api: Stack['api'] = (method, path, opts) => (client ?? noHost())(method, path, opts);

    const users = new Set<string>();
    const user: Stack['user'] = (email, seed) => {
      if (!inProcess)
        throw new Error('stack.user needs the in-process simulator; create users with stack.sim.createUser');
      if (users.has(email)) return;
      users.add(email);
      inProcess.createUser(
        seed ?? { email, calendar: { events: 12, recurring_series: 1, all_day: 1 }, mailbox: { messages: 15 } },
      );
    };
    const callerToken = async (email: string) => {
      if (inProcess) {
        user(email);
        return inProcess.callerToken(email);
      }
      if (child) return child.callerToken(email);
      throw new Error('this stack has no simulator to issue caller tokens');
    };
    const connect: Stack['connect'] = async (callerEmail, provider, microsoftEmail = callerEmail, extra = {}) => {
      if (inProcess) user(microsoftEmail);
      const token = await callerToken(callerEmail);
      const started = await api('POST', 'integrations/oauth/initiate', {
        token,
        body: { provider, login_hint: microsoftEmail, ...extra },
      });
      if (started.status !== 200) return started;
      const outcome = await openAuthorizeUrl(started.body.authorization_url);
      const params = outcome.params ?? new URLSearchParams();
      const body = params.get('code')
        ? { provider, state: params.get('state'), code: params.get('code') }
        : { provider, state: params.get('state') ?? started.body.state, error: params.get('error') ?? 'unknown' };
      return api('POST', 'integrations/oauth/callback', { token, body });
    };

    const stack = {
      azurite,
      direct,
      logs,
      failures,
      api,
      user,
      callerToken,
      connect,
      async connectedId(email: string, provider: Provider) {
        const answer = await connect(email, provider);
        if (answer.status !== 201 && answer.status !== 200) {
          throw new Error(`connecting ${provider} answered ${answer.status}: ${answer.body?.code ?? ''}`);
        }
        return String(answer.body.id);
      },
      async stop() {
        for (const stop of stops.splice(0)) await stop().catch(() => undefined);
      },
    };
    return Object.defineProperties(stack, {
      sim: { get: () => inProcess ?? child ?? missing('simulator', "simulator: 'none'")(), enumerable: true },
      host: { get: () => host ?? noHost(), enumerable: true },
      proxy: { get: () => proxy ?? missing('counting proxy', 'countTables')(), enumerable: true },
    }) as Stack<K>;
  } catch (error) {
    for (const stop of stops) await stop().catch(() => undefined);
    throw error;
  }
}

/** The definitions the host serves, imported only when a host is wanted (the benchmarks' B4 runs without). */
async function servedDefinitions(serve: NonNullable<StackOptions['serve']>): Promise<FunctionDefinition[] | undefined> {
  if (Array.isArray(serve)) return serve;
  if (serve === 'none') return undefined;
  const { definitions } = await import('../../functions/all.js');
  if (serve === 'all') return definitions;
  return definitions.filter((d) => d.kind === 'http' || (serve === 'http+worker' && d.name === 'syncWorker'));
}

/** Reads an HTTP answer: the body as JSON when it parses, else as text. */
export async function readAnswer(res: Response): Promise<Answer> {
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
    const body =
      opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    return readAnswer(await fetch(`${baseUrl}/api/${path}`, { method, headers, body }));
  };
}
