import { HttpRequest, HttpResponse } from './functions-lib.js';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AppError } from '../../shared/errors.js';
import type { HttpFunction } from '../../shared/functions/definitions.js';
import { toProblemResponse } from '../../shared/http/problem.js';
import { sendResponse, toHttpResponse } from './http-response.js';
import { createContext, formatInvocation, runHandler, type LogLine } from './invocation.js';
import { MAX_REQUEST_BODY_BYTES, readBody } from './request-body.js';
import { RouteTable } from './route-table.js';
import { serveStatic } from './static-files.js';

export interface HttpServerOptions {
  functions: HttpFunction[];
  routePrefix: string;
  functionTimeoutMs: number | null;
  /** FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: larger bodies are refused before any function runs. */
  maxBodyBytes?: number;
  log: LogLine;
  /** A folder of static files (the SPA's build) served outside the route prefix, with index.html as fallback. */
  staticRoot?: string;
}

export interface FunctionsHttpServer {
  server: Server;
  /** Stops accepting requests, lets running invocations finish, then closes every connection. */
  close(): Promise<void>;
}

/** Serves HTTP functions under `/<routePrefix>/<route>` the way the Functions host does. */
export function createFunctionsHttpServer(options: HttpServerOptions): FunctionsHttpServer {
  const routes = new RouteTable(options.functions);
  const prefix = options.routePrefix
    .split('/')
    .filter(Boolean)
    .map((s) => s.toLowerCase());
  const inFlight = new Set<Promise<void>>();

  const server = createServer((req, res) => {
    const handling = handle(req, res).catch(() => void res.destroy());
    inFlight.add(handling);
    void handling.finally(() => inFlight.delete(handling));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = parseUrl(req);
    const segments = url && decodeSegments(url.pathname);
    if (!url || !segments) return problem(res, new AppError('validation_failed', 'The request URL is not valid.'));
    const underPrefix = prefix.every((p, i) => segments[i]?.toLowerCase() === p);
    if (!underPrefix && options.staticRoot && (await serveStatic(options.staticRoot, req, res, url.pathname))) return;
    const match = underPrefix
      ? routes.match(req.method ?? 'GET', segments.slice(prefix.length))
      : { kind: 'not-found' as const };
    if (match.kind === 'not-found') return problem(res, new AppError('not_found', 'No function serves this path.'));
    if (match.kind === 'method-not-allowed') {
      const allow = match.allow.join(', ');
      return problem(
        res,
        new AppError('method_not_allowed', `This path accepts ${allow}.`, undefined, { Allow: allow }),
      );
    }
    const limit = options.maxBodyBytes ?? MAX_REQUEST_BODY_BYTES;
    const body = await readBody(req, limit);
    if (!body.ok) {
      // The rest of the upload is discarded; closing afterwards stops a client that keeps sending.
      res.setHeader('Connection', 'close');
      return problem(res, new AppError('payload_too_large', `The request body exceeds ${limit} bytes.`));
    }
    await invoke(match.fn, match.params, req, url, body.body, res);
  }

  async function invoke(
    fn: HttpFunction,
    params: Record<string, string>,
    req: IncomingMessage,
    url: URL,
    body: Buffer,
    res: ServerResponse,
  ): Promise<void> {
    const context = createContext(fn.name, 'httpTrigger', options.log);
    const startedAt = performance.now();
    const method = req.method ?? 'GET';
    let outcome: { response: HttpResponse; streamed: boolean; error?: unknown };
    try {
      const request = new HttpRequest({
        method,
        url: url.toString(),
        headers: flattenHeaders(req),
        query: flattenQuery(url.searchParams),
        params,
        ...(body.length > 0 && method !== 'GET' && method !== 'HEAD' ? { body: { bytes: body } } : {}),
      });
      outcome = toHttpResponse(
        await runHandler(fn.name, options.functionTimeoutMs, () => fn.handler(request, context)),
      );
    } catch (error) {
      // A safety net only: real handlers map their own errors. Nothing of the error reaches the caller.
      outcome = { ...problemResponse(new Error('unhandled'), context.invocationId), error };
    }
    const record = {
      functionName: fn.name,
      invocationId: context.invocationId,
      startedAt,
      status: outcome.response.status,
    };
    try {
      await sendResponse(res, outcome.response, outcome.streamed);
      options.log(formatInvocation({ ...record, succeeded: outcome.error === undefined, error: outcome.error }));
    } catch (error) {
      // E.g. a header value Node refuses, or the handler's stream failing part-way.
      const status = res.headersSent ? record.status : 500;
      options.log(formatInvocation({ ...record, status, succeeded: false, error: outcome.error ?? error }));
      if (res.headersSent) return void res.destroy();
      res.getHeaderNames().forEach((name) => res.removeHeader(name));
      await sendResponse(res, problemResponse(error, context.invocationId).response, false);
    }
  }

  return {
    server,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.allSettled([...inFlight]);
      server.closeAllConnections();
      await closed;
    },
  };
}

function problemResponse(error: unknown, requestId: string): { response: HttpResponse; streamed: boolean } {
  return { response: new HttpResponse(toProblemResponse(error, requestId)), streamed: false };
}

async function problem(res: ServerResponse, error: AppError): Promise<void> {
  const { response, streamed } = problemResponse(error, randomUUID());
  await sendResponse(res, response, streamed);
}

function parseUrl(req: IncomingMessage): URL | undefined {
  const host = req.headers.host ?? '';
  // The Host header becomes request.url's origin, as behind the real front end; anything odd is replaced.
  const origin = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)
    ? `http://${host}`
    : `http://localhost:${req.socket.localPort ?? 80}`;
  if (!req.url?.startsWith('/')) return undefined;
  try {
    // Concatenated, not resolved: a path like `//evil.example/x` must stay a path.
    return new URL(`${origin}${req.url}`);
  } catch {
    return undefined;
  }
}

function decodeSegments(pathname: string): string[] | undefined {
  try {
    return pathname
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

// The host hands the worker one value per key; repeated keys arrive comma-joined, as ASP.NET joins them.
function flattenQuery(params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of new Set(params.keys())) query[key] = params.getAll(key).join(',');
  return query;
}
