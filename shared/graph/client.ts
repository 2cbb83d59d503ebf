import {
  AuthenticationHandler,
  Client,
  GraphError,
  HTTPMessageHandler,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import { GraphTelemetryHandler } from '../telemetry/graph-middleware.js';
import type { Semaphore } from './semaphore.js';
import { GRAPH_HOSTS } from '../config-production.js';

const MICROSOFT_GRAPH_HOSTS = new Set(GRAPH_HOSTS);

const MAX_IN_PROCESS_WAIT_S = 30;

function retryAfterSeconds(response: Response | undefined): number {
  const header = response?.headers.get('Retry-After');
  if (!header) return 0;
  const seconds = Number(header);
  return Number.isFinite(seconds) ? seconds : Math.max(0, (Date.parse(header) - Date.now()) / 1000);
}

/**
 * Asked on every Graph request: ids of messages and events then survive a move between folders or
 * calendars (Graph's default ids change), so a synced item keeps its row and its API id.
 */
export const IMMUTABLE_ID_PREFERENCE = 'IdType="ImmutableId"';

/**
 * The headers of a request with the immutable-id preference added to its `Prefer` (one header,
 * preferences comma-separated, as Graph reads them); any other IdType the caller gave is replaced.
 */
export function withImmutableIds(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const prefer: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'prefer') {
      out[name] = value;
      continue;
    }
    // Split at commas outside quoted values (a time zone name could hold one).
    const parts = (value.match(/(?:[^,"]|"[^"]*")+/g) ?? []).map((p) => p.trim());
    prefer.push(...parts.filter((p) => p && !/^idtype\s*=/i.test(p)));
  }
  out.Prefer = [...prefer, IMMUTABLE_ID_PREFERENCE].join(', ');
  return out;
}

/** A Graph GET that yields parsed JSON; every request of one mailbox goes through its semaphore. */
export type GraphGet = (pathOrUrl: string, headers?: Record<string, string>) => Promise<unknown>;

export interface GraphClientOptions {
  baseUrl: string;
  getAccessToken: () => Promise<string>;
  /** Limits the requests of one mailbox in flight at once (Outlook allows about 4). */
  mailboxSlots: Semaphore;
  maxRetries?: number;
}

/**
 * The Graph client with its retry middleware honouring Retry-After (429, 503, 504), asking for
 * immutable ids on every request (`withImmutableIds`). For a base URL
 * that is not one of Microsoft's Graph hosts (the simulator), the host is declared a custom host:
 * otherwise the client silently sends requests without the Authorization header.
 */
export function createGraphGet(options: GraphClientOptions): GraphGet {
  const { client, original } = graphClient(options);
  return (pathOrUrl, headers = {}) =>
    options.mailboxSlots.run(() => {
      let request = client.api(pathOrUrl);
      for (const [name, value] of Object.entries(withImmutableIds(headers))) request = request.header(name, value);
      return (request.get() as Promise<unknown>).catch((error: unknown) => {
        throw original(error);
      });
    });
}

/** A Graph request with a JSON body (subscriptions): POST, PATCH or DELETE; yields the parsed answer. */
export type GraphSend = (method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) => Promise<unknown>;

/** As {@link createGraphGet}, for requests that change something (same middleware, same mailbox slots). */
export function createGraphSend(options: GraphClientOptions): GraphSend {
  const { client, original } = graphClient(options);
  return (method, path, body) =>
    options.mailboxSlots.run(() => {
      let request = client.api(path);
      for (const [name, value] of Object.entries(withImmutableIds({}))) request = request.header(name, value);
      const sent = method === 'POST' ? request.post(body) : method === 'PATCH' ? request.patch(body) : request.delete();
      return (sent as Promise<unknown>).catch((error: unknown) => {
        throw original(error);
      });
    });
}

function graphClient(options: GraphClientOptions): { client: Client; original: (error: unknown) => unknown } {
  const host = new URL(options.baseUrl).hostname;
  // The client wraps a failing token provider in its own error type; keep the original (e.g.
  // ReauthRequiredError) so the caller can tell lost consent from a Graph outage.
  let tokenError: unknown;
  const auth = new AuthenticationHandler({
    getAccessToken: () =>
      options.getAccessToken().catch((error: unknown) => {
        tokenError = error;
        throw error;
      }),
  });
  // Waits in-process only for short Retry-Afters: a longer one ends the request, and the job goes
  // back on the queue to run after it (ThrottledError), instead of holding its lease while asleep.
  const retry = new RetryHandler(
    new RetryHandlerOptions(
      1,
      options.maxRetries ?? 4,
      (_delay, _attempt, _request, _options, response) => retryAfterSeconds(response) <= MAX_IN_PROCESS_WAIT_S,
    ),
  );
  const telemetry = new TelemetryHandler();
  // Observes each attempt after the retry handler (spans, graph.requests, graph.throttled); passes everything through.
  const observed = new GraphTelemetryHandler();
  auth.setNext(retry);
  retry.setNext(telemetry);
  telemetry.setNext(observed);
  observed.setNext(new HTTPMessageHandler());
  const client = Client.initWithMiddleware({
    middleware: auth,
    baseUrl: options.baseUrl,
    defaultVersion: 'v1.0',
    ...(MICROSOFT_GRAPH_HOSTS.has(host) ? {} : { customHosts: new Set([host]) }),
  });
  return { client, original: (error) => tokenError ?? error };
}

export { GraphError };
