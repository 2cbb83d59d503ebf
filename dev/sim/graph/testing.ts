import type { GraphResponse, GraphService, SimUser } from '../contract.js';

// A direct caller for tests and benchmarks that skip HTTP: builds GraphRequests the way the
// front does (path after /v1.0, lower-cased headers) from a relative path or a full link.

export const ALL_SCOPES = ['User.Read', 'Calendars.ReadWrite', 'Mail.ReadWrite', 'Mail.Send'];

export interface CallOptions {
  headers?: Record<string, string>;
  body?: unknown;
}

export type GraphCaller = (method: string, url: string, opts?: CallOptions) => Promise<GraphResponse>;

export function callerFor(
  service: GraphService,
  user: SimUser,
  scopes: string[] = ALL_SCOPES,
  baseUrl = 'https://localhost:8443',
): GraphCaller {
  return (method, url, opts = {}) => {
    const parsed = new URL(url, `${baseUrl}/v1.0/`);
    const path = parsed.pathname.replace(/^\/v1\.0(?=\/|$)/, '') || '/';
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = v;
    return service.handle({
      method,
      path,
      query: parsed.searchParams,
      headers,
      body: opts.body,
      user,
      scopes,
      baseUrl,
    });
  };
}

/** The body of a JSON answer as a plain record (tests only). */
export const json = (res: GraphResponse): Record<string, unknown> => res.body as Record<string, unknown>;
