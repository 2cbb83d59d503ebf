import type { InvocationContext } from '@azure/functions';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

// Keys whose values are never logged, whatever they hold. Matching is on the key name so a new
// field called e.g. `refresh_token` is covered without anyone remembering to add it.
const SECRET_KEY = /token|secret|password|authorization|cookie|verifier|(^|_)code$|^code|assertion|key$|signature|client_info|state$/i;
// Values that look like a JWT or a bearer header are scrubbed even under an innocent key.
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
const BEARER = /Bearer\s+[A-Za-z0-9._~+/=-]+/gi;
const URL_SECRET_PARAMS = /([?&#](?:code|state|access_token|refresh_token|id_token|code_verifier|client_secret|\$deltatoken|\$skiptoken|validationToken)=)[^&#\s"]*/gi;

export function scrub(text: string): string {
  return text.replace(JWT_LIKE, '[redacted]').replace(BEARER, 'Bearer [redacted]').replace(URL_SECRET_PARAMS, '$1[redacted]');
}

function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (value instanceof Error) return { name: value.name, message: scrub(value.message), ...('code' in value ? { code: redact((value as { code: unknown }).code, depth + 1) } : {}) };
  if (value === null || typeof value !== 'object' || depth > 4) return value;
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && k !== 'error_code' && k !== 'status_code' ? '[redacted]' : redact(v, depth + 1)]),
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
 * through redaction: tokens, codes and secrets never reach a log line.
 */
export function createLogger(sink: Sink = consoleSink, base: LogFields = {}): Logger {
  const write = (level: keyof Sink) => (message: string, fields?: LogFields) => {
    const line = JSON.stringify({ level, msg: scrub(message), ...(redact({ ...base, ...fields }) as LogFields) });
    sink[level](line);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => createLogger(sink, { ...base, ...fields }),
  };
}

export function loggerFor(context: InvocationContext, fields: LogFields = {}): Logger {
  return createLogger(context, { function: context.functionName, invocation_id: context.invocationId, ...fields });
}
