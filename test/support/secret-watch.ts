import { format } from 'node:util';
import functions from '@azure/functions';
import { TokenIssuer } from '../../dev/sim/identity/issuer.js';
import { SimRequestHandler } from '../../dev/sim/request-handler.js';
import type { SimRequest, SimResponse } from '../../dev/sim/http.js';
import { findLeaks, findShapedLeaks, type Leak } from './secret-scan.js';

// A process-wide watch over secrets (issue 8, point 4: "no secret in any log line across the suite").
// It records every secret the simulators of this test process hand out or receive: access, id and
// refresh tokens, caller tokens, authorization codes, and what the app sends the token endpoint
// (code, PKCE verifier, client secret, refresh token). It also records every line logged: console,
// stdout, stderr and every InvocationContext log call (the app's structured logs on the local host).
// The check runs after a file's last test, so a verifier or code logged early is caught once its
// flow reaches the simulator. The watch wraps prototypes: neither the simulator nor the app knows.

export interface SecretWatch {
  secrets: Map<string, string>;
  lines: string[];
  /** Upstream error details (trace ids, descriptions) the simulator answered with: never to be echoed. */
  upstreamErrors: string[];
}

const KEY = Symbol.for('integrato.secret-watch');
type Global = typeof globalThis & { [KEY]?: SecretWatch };
const root = globalThis as Global;

/** The current test file's watch (reset by `resetSecretWatch`). */
export function secretWatch(): SecretWatch {
  return (root[KEY] ??= { secrets: new Map(), lines: [], upstreamErrors: [] });
}

export function resetSecretWatch(): void {
  const w = secretWatch();
  w.secrets.clear();
  w.lines.length = 0;
  w.upstreamErrors.length = 0;
}

/** Secrets shorter than this are not tracked: too short to be a credential, too likely to collide. */
export const MIN_SECRET_CHARS = 16;

export function registerSecret(value: unknown, kind: string): void {
  const secrets = secretWatch().secrets;
  // The first sighting names it (a code is an "authorization code" before it is "sent to the token endpoint").
  if (typeof value === 'string' && value.length >= MIN_SECRET_CHARS && !secrets.has(value)) secrets.set(value, kind);
}

export function recordLine(line: string): void {
  secretWatch().lines.push(line);
}

/** Lines carrying a secret the simulators issued or received, or one recognised by its shape. */
export function leaksSoFar(): Leak[] {
  const w = secretWatch();
  return [...findLeaks(w.lines, w.secrets), ...findShapedLeaks(w.lines)];
}

const FORM_SECRETS = ['code', 'code_verifier', 'client_secret', 'refresh_token', 'client_assertion', 'assertion'];
const JSON_SECRETS = ['access_token', 'refresh_token', 'id_token'];

/** What crosses the simulator: form parameters and bearer headers in, tokens and codes out. */
function inspectSimTraffic(req: SimRequest, res: SimResponse): void {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) registerSecret(auth.slice(7), 'bearer token sent to the simulator');
  if ((req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) {
    const form = new URLSearchParams(req.body.toString('utf8'));
    for (const name of FORM_SECRETS) registerSecret(form.get(name), `${name} sent to the token endpoint`);
  }
  // A subscription's clientState is the app's secret towards Graph (issue 13): never in a log line.
  if (/^\/v1\.0\/subscriptions\/?$/i.test(req.url.pathname) && (req.headers['content-type'] ?? '').includes('json')) {
    try {
      registerSecret((JSON.parse(req.body.toString('utf8')) as { clientState?: unknown }).clientState, 'clientState');
    } catch {
      /* not JSON: nothing to take */
    }
  }
  const location = res.headers?.location;
  if (location) {
    try {
      registerSecret(new URL(location).searchParams.get('code'), 'authorization code');
    } catch {
      /* not a URL: nothing to take */
    }
  }
  const text = res.body === undefined ? '' : res.body.toString();
  if (!text.startsWith('{')) return;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return;
  }
  for (const name of JSON_SECRETS) registerSecret(body[name], name);
  if (res.status >= 400) collectUpstreamError(body);
}

// Identity errors carry trace_id/correlation_id/error_description; Graph errors error.message and innerError ids.
function collectUpstreamError(body: Record<string, unknown>): void {
  const out = secretWatch().upstreamErrors;
  for (const name of ['trace_id', 'correlation_id', 'error_description'])
    if (typeof body[name] === 'string') out.push(body[name] as string);
  const error = body.error as { message?: unknown; innerError?: Record<string, unknown> } | undefined;
  if (error && typeof error === 'object') {
    if (typeof error.message === 'string') out.push(error.message);
    for (const id of ['request-id', 'client-request-id'])
      if (typeof error.innerError?.[id] === 'string') out.push(error.innerError[id] as string);
  }
}

type AnyFn = (...args: unknown[]) => unknown;
const WATCHED = Symbol.for('integrato.secret-watch.wrapped');

/** Calls `before` with the arguments, then the original (for loggers and stream writes). */
function wrapLogger(target: Record<string, AnyFn>, name: string, before: (args: unknown[]) => void): void {
  const original = target[name];
  if (typeof original !== 'function' || (original as { [WATCHED]?: boolean })[WATCHED]) return;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    before(args);
    return original.apply(this, args);
  };
  target[name] = Object.assign(wrapped, { [WATCHED]: true });
}

/** Calls `after` with the result (awaited when it is a promise): for the simulator's token minting. */
function wrapMethod(
  proto: object,
  name: string,
  after: (result: unknown, args: unknown[], self: unknown) => void,
): void {
  const target = proto as Record<string, AnyFn>;
  const original = target[name];
  if (typeof original !== 'function' || (original as { [WATCHED]?: boolean })[WATCHED]) return;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    const result = original.apply(this, args);
    if (result instanceof Promise) return result.then((value) => (after(value, args, this), value));
    after(result, args, this);
    return result;
  };
  target[name] = Object.assign(wrapped, { [WATCHED]: true });
}

/**
 * Installs the hooks (idempotent). The simulator and app classes are this test file's own module
 * instances (vitest evaluates source modules per file); console, the standard streams and
 * @azure/functions may be shared by several files of one process, hence the marks.
 */
export function installSecretWatch(): void {
  wrapMethod(SimRequestHandler.prototype, 'dispatch', (res, args) =>
    inspectSimTraffic(args[0] as SimRequest, res as SimResponse),
  );
  for (const method of ['callerToken', 'graphAccessToken', 'idToken'])
    wrapMethod(TokenIssuer.prototype, method, (token) => registerSecret(token, method));
  // Loaded once per process (and console may be replaced per file): marked, so never wrapped twice.
  const proto = functions.InvocationContext.prototype as unknown as Record<string, AnyFn>;
  for (const level of ['log', 'trace', 'debug', 'info', 'warn', 'error'])
    wrapLogger(proto, level, (args) => recordLine(format(...args)));
  const con = console as unknown as Record<string, AnyFn>;
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace'])
    wrapLogger(con, level, (args) => recordLine(format(...args)));
  for (const stream of [process.stdout, process.stderr]) {
    wrapLogger(stream as unknown as Record<string, AnyFn>, 'write', ([chunk]) =>
      recordLine(typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk)),
    );
  }
}
