import { AsyncLocalStorage } from 'node:async_hooks';
import type { InvocationContext } from '@azure/functions';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/** LOG_LEVEL's values, least severe first: a logger writes its level and those after it. */
export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevelName, number> = { debug: 0, info: 1, warn: 2, error: 3 };

let processLevel: LogLevelName = 'info';

/**
 * The process's LOG_LEVEL, set by the composition root when it parses the settings (shared/root.ts);
 * `info` until then and while the settings are invalid: a log line is never the thing that fails.
 */
export function configuredLogLevel(): LogLevelName {
  return processLevel;
}

/** Called by the composition root with the parsed LOG_LEVEL (and with `info` when it forgets them). */
export function setLogLevel(level: LogLevelName): void {
  processLevel = level;
}

/** Whether a line of `level` is written under the process's LOG_LEVEL (to skip building debug fields). */
export function logLevelEnabled(level: LogLevelName, threshold: LogLevelName = configuredLogLevel()): boolean {
  return RANK[level] >= RANK[threshold];
}

// Keys whose values are never logged, whatever they hold. Matching is on the key name so a new
// field called e.g. `refresh_token` is covered without anyone remembering to add it.
const SECRET_KEY =
  /token|secret|password|authorization|cookie|verifier|(^|_)code$|^code|assertion|key$|signature|client_info|state$|^sig$|^connection_?string$/i;
const NOT_SECRET_KEYS = new Set(['error_code', 'status_code']);
// Values that look like a JWT or a bearer header are scrubbed even under an innocent key.
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
const BEARER = /Bearer\s+[A-Za-z0-9._~+/=-]+/gi;
// `name=value` pairs of URLs, form bodies (`client_secret=…&code=…`, also at the very start of a
// text) and connection strings (`AccountKey=…;`, a SAS's `sig=…`). A name counts only after a
// delimiter, so `error_code=` is not `code=`.
const PAIR_NAMES = [
  'code',
  'state',
  'access_token',
  'refresh_token',
  'id_token',
  'code_verifier',
  'client_secret',
  'client_assertion',
  'assertion',
  'password',
  '(?:\\$|%24)deltatoken',
  '(?:\\$|%24)skiptoken',
  'validationToken',
  'sig',
  'AccountKey',
  'SharedAccessKey',
  'SharedAccessSignature',
].join('|');
const SECRET_PAIRS = new RegExp(`((?:^|[?&#;\\s"'(,])(?:${PAIR_NAMES})=)[^&#;\\s"',)]*`, 'gi');
// The same secrets as JSON members inside a text (an upstream body quoted in an error message).
const JSON_SECRET_MEMBERS =
  /("(?:access_token|refresh_token|id_token|client_secret|code_verifier|password|code)"\s*:\s*")[^"]*"/gi;

/** A text with tokens, codes, secrets, keys and signatures replaced by `[redacted]`. */
export function scrub(text: string): string {
  return text
    .replace(JWT_LIKE, '[redacted]')
    .replace(BEARER, 'Bearer [redacted]')
    .replace(SECRET_PAIRS, '$1[redacted]')
    .replace(JSON_SECRET_MEMBERS, '$1[redacted]"');
}

// Deeper than this, an object is not walked and not logged: its values cannot be vetted.
const MAX_DEPTH = 6;

function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      name: value.name,
      message: scrub(value.message),
      ...(code !== undefined ? { code: redact(code, depth + 1) } : {}),
    };
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      SECRET_KEY.test(k) && !NOT_SECRET_KEYS.has(k) ? '[redacted]' : redact(v, depth + 1),
    ]),
  );
}

type Sink = Pick<InvocationContext, 'debug' | 'info' | 'warn' | 'error'>;

const consoleSink: Sink = {
  debug: (...args: unknown[]) => console.debug(...args),
  info: (...args: unknown[]) => console.info(...args),
  warn: (...args: unknown[]) => console.warn(...args),
  error: (...args: unknown[]) => console.error(...args),
};

/**
 * Structured logger: one JSON line per entry, written through the invocation context so that the
 * Functions host correlates it with the invocation in Application Insights. Every field passes
 * through redaction: tokens, codes and secrets never reach a log line. Lines below `level`
 * (default: the LOG_LEVEL setting) are dropped.
 */
export function createLogger(sink: Sink = consoleSink, base: LogFields = {}, level?: LogLevelName): Logger {
  const write = (lineLevel: LogLevelName) => (message: string, fields?: LogFields) => {
    if (!logLevelEnabled(lineLevel, level ?? configuredLogLevel())) return;
    const line = JSON.stringify({
      level: lineLevel,
      msg: scrub(message),
      ...(redact({ ...base, ...fields }) as LogFields),
    });
    sink[lineLevel](line);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => createLogger(sink, { ...base, ...fields }, level),
  };
}

export function loggerFor(context: InvocationContext, fields: LogFields = {}): Logger {
  return createLogger(context, { function: context.functionName, invocation_id: context.invocationId, ...fields });
}

// The invocation's logger for code deep inside SDK callbacks that no logger is handed to (the Graph
// client's middleware, MSAL's logger callback): set around each handler by shared/functions/invocation-scope.ts.
const ambient = new AsyncLocalStorage<Logger>();

/** Runs `fn` with `log` as the invocation logger of everything it calls, awaited or not. */
export function withInvocationLogger<T>(log: Logger, fn: () => T): T {
  return ambient.run(log, fn);
}

/** The logger of the invocation this code runs in; outside one, a console logger. */
export function invocationLogger(): Logger {
  return ambient.getStore() ?? createLogger();
}
