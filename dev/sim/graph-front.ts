import { randomUUID } from 'node:crypto';
import type { GraphRequest, GraphResponse, GraphService, SimUser } from './contract.js';
import type { Faults } from './faults.js';
import { graphError } from './graph-errors.js';
import { parseJson, sleep, type RequestFacts, type SimRequest, type SimResponse } from './http.js';
import type { GraphCaller, GraphTokenChecker } from './identity/graph-token-check.js';
import { parsePrefer } from './graph/odata.js';
import { graphTemplate } from './path-template.js';
import type { Stats } from './stats.js';

export interface GraphFrontDeps {
  graph: GraphService;
  tokens: GraphTokenChecker;
  faults: Faults;
  stats: Stats;
}

const ODATA_JSON =
  'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';
const WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

/**
 * `/v1.0/*`: authenticates the bearer token, applies the injected faults, tracks the requests in
 * flight per mailbox, and lets the Graph service answer.
 */
export async function handleGraph(deps: GraphFrontDeps, req: SimRequest, facts: RequestFacts): Promise<SimResponse> {
  if (req.url.pathname.startsWith('/api/v2.0/')) return handleUpload(deps, req, facts);
  facts.template = graphTemplate(req.method, req.url.pathname);
  facts.immutableIds = parsePrefer(req.headers.prefer).immutableIds === true;
  const clientRequestId = req.headers['client-request-id'];
  const unauthorized = (message: string): SimResponse =>
    graphError(401, 'InvalidAuthenticationToken', message, clientRequestId, { 'www-authenticate': WWW_AUTHENTICATE });

  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!bearer) return unauthorized('Access token is empty.');
  const verified = await deps.tokens.check(bearer);
  if (!verified.ok) return unauthorized(verified.reason);
  const user = deps.graph.findUser(verified.caller.oid);
  if (!user) return unauthorized('Access token validation failure. The user does not exist.');
  facts.user = user.email;

  const requestKey = `${req.method} ${req.url.pathname}${req.url.search}`;
  deps.stats.noteArrival(user.email, requestKey);
  const mailbox = targetMailbox(deps.graph, req.url.pathname, user);
  const inFlightBefore = deps.stats.enter(mailbox);
  facts.onFinish = () => deps.stats.leave(mailbox);

  const fault =
    deps.faults.refuseSubscription(req.method, req.url.pathname, user.email, clientRequestId) ??
    deps.faults.decide(inFlightBefore, clientRequestId);
  if (deps.faults.latencyMs > 0) await sleep(deps.faults.latencyMs);
  const answered = fault ?? (await callGraph(deps, req, user, verified.caller, clientRequestId));
  const response = deps.faults.afterSend(req.method, req.url.pathname, answered, clientRequestId);
  const retryAfter = Number(response.headers?.['retry-after']);
  if ((response.status === 429 || response.status === 503) && Number.isFinite(retryAfter)) {
    deps.stats.noteRetryAfter(user.email, requestKey, retryAfter);
  }
  return response;
}

/** A chunk PUT to an attachment upload URL: no bearer (the URL carries its token), the raw bytes as sent. */
function handleUpload(deps: GraphFrontDeps, req: SimRequest, facts: RequestFacts): SimResponse {
  facts.template = `${req.method} /api/v2.0/{upload-session}`;
  return toSimResponse(
    deps.graph.upload({ method: req.method, url: req.url, headers: req.headers, body: req.body }),
    req.headers['client-request-id'],
  );
}

/** Whose mailbox a request touches: `/users/{id|email}/…` names it, anything else is the caller's. */
function targetMailbox(graph: GraphService, pathname: string, caller: SimUser): string {
  const named = /^\/v1\.0\/users\/([^/]+)/i.exec(pathname)?.[1];
  if (!named) return caller.email;
  return graph.findUser(safeDecode(named))?.email ?? caller.email;
}

async function callGraph(
  deps: GraphFrontDeps,
  req: SimRequest,
  user: SimUser,
  caller: GraphCaller,
  clientRequestId?: string,
): Promise<SimResponse> {
  const segments = req.url.pathname.split('/').slice(2).map(safeDecode);
  const contentType = req.headers['content-type'] ?? '';
  let body: unknown;
  if (req.body.length > 0) {
    if (contentType === '' || contentType.includes('json')) {
      const parsed = parseJson(req.body);
      if (!parsed.ok)
        return graphError(
          400,
          'BadRequest',
          'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
          clientRequestId,
        );
      body = parsed.value;
    } else {
      body = req.body.toString('utf8');
    }
  }
  const request: GraphRequest = {
    method: req.method,
    path: `/${segments.join('/')}`,
    query: new URLSearchParams(req.url.searchParams),
    headers: { ...req.headers },
    body,
    user,
    scopes: caller.scopes,
    ...(caller.clientId ? { clientId: caller.clientId } : {}),
    ...(caller.issuedAtMs ? { tokenIssuedAtMs: caller.issuedAtMs } : {}),
    baseUrl: req.origin,
  };
  let answer: GraphResponse;
  try {
    answer = await deps.graph.handle(request);
  } catch (error) {
    console.error(`[sim] graph.handle failed for ${req.method} ${request.path}: ${(error as Error).message}`);
    return graphError(500, 'InternalServerError', 'An internal server error occurred.', clientRequestId);
  }
  const requestUrl = new URL(`${req.url.pathname}${req.url.search}`, req.origin);
  return toSimResponse(deps.faults.rewriteLinks(answer, requestUrl), clientRequestId);
}

function toSimResponse(answer: GraphResponse, clientRequestId?: string): SimResponse {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(answer.headers ?? {})) headers[k.toLowerCase()] = v;
  headers['request-id'] ??= randomUUID();
  if (clientRequestId) headers['client-request-id'] ??= clientRequestId;
  if (answer.status === 204 || answer.status === 304 || answer.body === undefined) {
    return { status: answer.status, headers, body: '' };
  }
  if (typeof answer.body === 'string') {
    headers['content-type'] ??= 'text/plain; charset=utf-8';
    return { status: answer.status, headers, body: answer.body };
  }
  headers['content-type'] ??= ODATA_JSON;
  return { status: answer.status, headers, body: JSON.stringify(answer.body) };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
