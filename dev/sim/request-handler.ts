import type { IncomingMessage, ServerResponse } from 'node:http';
import { graphError } from './graph-errors.js';
import {
  BodyTooLargeError,
  headerRecord,
  json,
  readBody,
  type RequestFacts,
  type SimRequest,
  type SimResponse,
} from './http.js';
import type { Stats } from './stats.js';

type Route = (req: SimRequest, facts: RequestFacts) => Promise<SimResponse | undefined>;

export interface SimRoutes {
  identity: Route;
  graph: Route;
  controls: (req: SimRequest) => Promise<SimResponse>;
}

/**
 * Turns node's request/response into SimRequest/SimResponse, sends each to its area (controls
 * under /_sim, Graph under /v1.0, the identity platform elsewhere) and records the stats.
 */
export class SimRequestHandler {
  private routes: SimRoutes | undefined;
  private originFor: (host: string | undefined) => string = () => 'https://localhost';

  constructor(private readonly stats: Stats) {}

  /** The routes need the bound port (their base URL), so they are mounted once listening. */
  mount(routes: SimRoutes, originFor: (host: string | undefined) => string): void {
    this.routes = routes;
    this.originFor = originFor;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'https://localhost');
    const isControl = url.pathname === '/_sim' || url.pathname.startsWith('/_sim/');
    // Attachment upload URLs (`/api/v2.0/…`, outlook.office.com's in Graph's world) are Graph requests too.
    const isGraph =
      url.pathname === '/v1.0' || url.pathname.startsWith('/v1.0/') || url.pathname.startsWith('/api/v2.0/');
    const facts: RequestFacts = { template: `${method} (unmatched)` };
    let bytesIn = 0;
    let response: SimResponse;
    try {
      const body = await readBody(req);
      bytesIn = body.length;
      const headers = headerRecord(req);
      response = await this.dispatch(
        { method, url, origin: this.originFor(headers.host), headers, body },
        facts,
        isControl,
        isGraph,
      );
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        bytesIn = error.size;
        response = json(413, { error: 'payload_too_large', message: 'The request body is too large.' });
      } else {
        // Never echo the error: it might quote a token or a secret from the request.
        console.error(`[sim] ${method} ${url.pathname} failed: ${(error as Error).name}`);
        response = isGraph
          ? graphError(500, 'InternalServerError', 'An internal server error occurred.')
          : json(500, { error: 'server_error' });
      }
    }
    const bytesOut = write(res, response);
    facts.onFinish?.();
    if (!isControl) {
      this.stats.record({
        template: facts.template,
        status: response.status,
        graph: isGraph,
        bytesIn,
        bytesOut,
        ...(facts.user ? { user: facts.user } : {}),
        ...(facts.grantType ? { grantType: facts.grantType } : {}),
        ...(facts.immutableIds ? { immutableIds: true } : {}),
      });
    }
  }

  private async dispatch(
    req: SimRequest,
    facts: RequestFacts,
    isControl: boolean,
    isGraph: boolean,
  ): Promise<SimResponse> {
    if (!this.routes) return json(503, { error: 'starting' });
    if (isControl) return this.routes.controls(req);
    if (isGraph) return (await this.routes.graph(req, facts)) ?? json(404, { error: 'not_found' });
    return (
      (await this.routes.identity(req, facts)) ??
      json(404, { error: 'not_found', message: `No route for ${req.method} ${req.url.pathname}` })
    );
  }
}

function write(res: ServerResponse, response: SimResponse): number {
  const body = response.body === undefined ? Buffer.alloc(0) : Buffer.from(response.body);
  res.writeHead(response.status, { ...response.headers, 'content-length': String(body.length) });
  res.end(body);
  return body.length;
}
