import { html, json, type RequestFacts, type SimRequest, type SimResponse } from '../http.js';
import { aad, aadErrorPage, aadErrorResponse } from './aad-errors.js';
import { AuthorizeEndpoint } from './authorize.js';
import type { IdentityContext } from './context.js';
import { acceptsTenant, instanceDiscovery, openIdConfiguration } from './metadata.js';
import { TokenEndpoint } from './token-endpoint.js';

type Handler = (req: SimRequest, tenant: string, facts: RequestFacts) => SimResponse | Promise<SimResponse>;

interface Route {
  method: string;
  /** After the tenant segment. */
  rest: string;
  /** Pages answer a bad tenant with an error page, APIs with error JSON. */
  page: boolean;
  handler: Handler;
}

/**
 * The identity platform's routes (Microsoft's v2.0 endpoints). Returns undefined for paths that
 * are not identity routes, so the server can answer 404.
 */
export function identityRoutes(
  ctx: IdentityContext,
): (req: SimRequest, facts: RequestFacts) => Promise<SimResponse | undefined> {
  const authorize = new AuthorizeEndpoint(ctx);
  const token = new TokenEndpoint(ctx);
  const routes: Route[] = [
    {
      method: 'GET',
      rest: '/v2.0/.well-known/openid-configuration',
      page: false,
      handler: (r, t) => json(200, openIdConfiguration(r.origin, t, ctx.tenantId)),
    },
    { method: 'GET', rest: '/discovery/v2.0/keys', page: false, handler: () => json(200, ctx.issuer.jwks) },
    { method: 'GET', rest: '/oauth2/v2.0/authorize', page: true, handler: (r, t) => authorize.authorize(r, t) },
    { method: 'POST', rest: '/oauth2/v2.0/authorize/consent', page: true, handler: (r) => authorize.answer(r) },
    { method: 'POST', rest: '/oauth2/v2.0/token', page: false, handler: (r, _t, f) => token.token(r, f) },
    {
      method: 'GET',
      rest: '/oauth2/v2.0/logout',
      page: true,
      handler: () => html(200, '<!doctype html><html><body><p>You signed out of your account.</p></body></html>'),
    },
  ];

  return async (req, facts) => {
    const path = req.url.pathname;
    if (path === '/common/discovery/instance') {
      facts.template = `${req.method} /common/discovery/instance`;
      return req.method === 'GET' ? instanceDiscovery(req.origin, req.url.searchParams) : methodNotAllowed();
    }
    const match = /^\/([^/]+)(\/.*)$/.exec(path);
    const route = match ? routes.find((r) => r.rest === match[2]) : undefined;
    if (!match || !route) return undefined;
    facts.template = `${req.method} /{tenant}${route.rest}`;
    if (req.method !== route.method) return methodNotAllowed();
    const tenant = safeDecode(match[1] ?? '');
    if (!acceptsTenant(tenant, ctx.tenantId)) {
      return route.page
        ? aadErrorPage(aad.unknownTenant(tenant))
        : aadErrorResponse(aad.unknownTenant(tenant), req.origin);
    }
    return route.handler(req, tenant, facts);
  };
}

const methodNotAllowed = (): SimResponse =>
  json(405, { error: 'invalid_request', error_description: 'Method not allowed.' });

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};
