import { z } from 'zod';
import type { GraphResponse } from '../contract.js';
import { ok, parseBody, type Ctx } from './context.js';
import { badRequest, errorBody, GRAPH_JSON } from './errors.js';

// POST /$batch (json-batching.md): at most 20 requests, each routed through the same router as
// the same caller with the same scopes. Executed in order; a request whose dependsOn failed gets
// 424. Inner urls are relative (a leading slash is optional).

const MAX_REQUESTS = 20;

const batchSchema = z.object({
  requests: z
    .array(
      z.object({
        id: z.string().min(1).max(64),
        method: z.string().regex(/^(GET|POST|PATCH|PUT|DELETE)$/i),
        url: z.string().min(1).max(8192),
        headers: z.record(z.string(), z.string()).optional(),
        body: z.unknown().optional(),
        dependsOn: z.array(z.string()).optional(),
      }),
    )
    .min(1),
});

interface BatchItem {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

function failed(ctx: Ctx, id: string, status: number, code: string, message: string): BatchItem {
  return { id, status, headers: { 'Content-Type': 'application/json' }, body: errorBody(code, message, ctx.ids) };
}

export async function batch(ctx: Ctx): Promise<GraphResponse> {
  const { requests } = parseBody(ctx, batchSchema);
  if (requests.length > MAX_REQUESTS)
    throw badRequest(`The number of requests in a batch must not exceed ${MAX_REQUESTS}.`, 'BadRequest');
  if (new Set(requests.map((r) => r.id)).size !== requests.length)
    throw badRequest('Each request in a batch needs a unique id.');
  const statuses = new Map<string, number>();
  const responses: BatchItem[] = [];
  for (const r of requests) {
    let item: BatchItem;
    const deps = r.dependsOn ?? [];
    if (deps.some((d) => !statuses.has(d))) {
      item = failed(ctx, r.id, 400, 'BadRequest', 'dependsOn must name requests that come earlier in the batch.');
    } else if (deps.some((d) => (statuses.get(d) ?? 500) >= 400)) {
      item = failed(ctx, r.id, 424, 'FailedDependency', 'A request this one depends on failed.');
    } else if (/^[a-z]+:/i.test(r.url)) {
      item = failed(ctx, r.id, 400, 'BadRequest', 'Batch request urls must be relative, e.g. /me/messages.');
    } else {
      item = await run(ctx, r);
    }
    statuses.set(r.id, item.status);
    responses.push(item);
  }
  return ok(ctx, { responses }, { headers: { 'Content-Type': 'application/json' } });
}

async function run(ctx: Ctx, r: z.infer<typeof batchSchema>['requests'][number]): Promise<BatchItem> {
  const [rawPath = '', rawQuery = ''] = r.url.replace(/^\/+/, '').split(/\?(.*)/s);
  const path = `/${rawPath}`;
  if (/^\/\$batch\/?$/i.test(path))
    return failed(ctx, r.id, 400, 'BadRequest', 'A batch cannot contain another batch.');
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = v;
  const res = await ctx.services.route({
    ...ctx.req,
    method: r.method.toUpperCase(),
    path,
    query: new URLSearchParams(rawQuery),
    headers,
    body: r.body,
  });
  const out: BatchItem = { id: r.id, status: res.status, headers: { ...(res.headers ?? {}) } };
  if (res.body !== undefined) {
    out.body = res.body;
    out.headers['Content-Type'] ??= typeof res.body === 'string' ? 'text/plain' : GRAPH_JSON;
  }
  return out;
}
