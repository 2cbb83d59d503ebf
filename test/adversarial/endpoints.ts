import { expect } from 'vitest';
import { definitions } from '../../functions/all.js';
import type { HttpFunction } from '../../shared/functions/definitions.js';

// The authenticated HTTP surface, read from functions/all.ts so that an endpoint added later is
// attacked by every adversarial test without anyone remembering to list it here.

/** Anonymous by contract (API.md): health, the OpenAPI document, Graph's notification webhook. */
const ANONYMOUS = /health|openapi|swagger|notification|webhook/i;

export interface Endpoint {
  fn: HttpFunction;
  method: string;
  /** Route parameter names (`{id}` → `id`). */
  params: string[];
}

export const authenticatedEndpoints: Endpoint[] = definitions
  .filter((d): d is HttpFunction => d.kind === 'http' && !ANONYMOUS.test(d.name) && !ANONYMOUS.test(d.route))
  .flatMap((fn) =>
    fn.methods.map((method) => ({ fn, method, params: [...fn.route.matchAll(/\{\*?(\w+)\??\}/g)].map((m) => m[1]!) })),
  );

/** Percent-encodes a path segment byte by byte (a lone surrogate becomes U+FFFD, as a browser sends it). */
export const encodeSegment = (value: string) =>
  [...Buffer.from(value, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

/** The route with each parameter replaced (URL-encoded) by `value(name)`. */
export function pathOf(endpoint: Endpoint, value: (param: string) => string): string {
  return endpoint.fn.route.replace(/\{\*?(\w+)\??\}/g, (_m, name: string) => encodeSegment(value(name)));
}

export const label = (e: Endpoint) => `${e.method} /api/${e.fn.route}`;

/** Asserts an RFC 9457 answer as API.md fixes it: problem+json, code, status, request_id. */
export function expectProblem(
  res: { status: number; headers: Headers; body: unknown },
  status: number | ((s: number) => boolean),
  code?: string,
  what = '',
): void {
  if (typeof status === 'number') expect(res.status, what).toBe(status);
  else expect(status(res.status), `${what}: status ${res.status}`).toBe(true);
  expect(res.headers.get('content-type'), what).toMatch(/^application\/problem\+json/);
  expect(res.body, what).toMatchObject({
    status: res.status,
    code: expect.any(String),
    request_id: expect.any(String),
    type: expect.any(String),
    title: expect.any(String),
  });
  // toMatchObject above has checked these fields are strings.
  const problem = res.body as { code: string; request_id: string };
  // The app's answers echo the id in x-request-id; the local host's own (no route, body too big) do not.
  if (res.headers.has('x-request-id')) expect(problem.request_id, what).toBe(res.headers.get('x-request-id'));
  if (code) expect(problem.code, what).toBe(code);
  // No stack frames, file paths or exception names in an answer.
  expect(JSON.stringify(res.body), what).not.toMatch(
    /\bat \S+ \(|\.(ts|js):\d+|node_modules|RestError|TypeError|SyntaxError/,
  );
}
