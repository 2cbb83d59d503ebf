import { HttpRequest, InvocationContext } from '@azure/functions';
import { expect } from 'vitest';
import type { HttpFunction } from '../../shared/functions/definitions.js';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  logs: string[];
}

/** Query parameters as pairs, so a test can repeat one or send any key it likes. */
export type Params = [string, string][];

/** Calls a function's handler the way the Functions host would, with an Easy Auth principal. */
export async function call(fn: HttpFunction, principal: string | undefined, params: Params): Promise<Answer> {
  const url = new URL(`http://localhost/api/${fn.route}`);
  for (const [key, value] of params) url.searchParams.append(key, value);
  const request = new HttpRequest({
    method: 'GET',
    url: url.toString(),
    headers: principal === undefined ? {} : { 'x-ms-client-principal': principal },
  });
  const logs: string[] = [];
  const context = new InvocationContext({
    functionName: fn.name,
    logHandler: (_level, ...args) => logs.push(args.map(String).join(' ')),
  });
  const response = await fn.handler(request, context);
  if (!('status' in response) || typeof response.status !== 'number') throw new Error('handler returned no status');
  return {
    status: response.status,
    headers: (response.headers ?? {}) as Record<string, string>,
    body: (response as { jsonBody?: Record<string, unknown> }).jsonBody ?? {},
    logs,
  };
}

export interface Page {
  results: Record<string, unknown>[];
  next_cursor: string | null;
}

/** Walks every page of a query; checks each page is full but the last and returns all results. */
export async function walk(
  fn: HttpFunction,
  principal: string,
  params: Params,
  limit: number,
): Promise<{ results: Record<string, unknown>[]; pages: number }> {
  const results: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const answer = await call(fn, principal, [
      ...params,
      ['limit', String(limit)],
      ...(cursor ? [['cursor', cursor] as [string, string]] : []),
    ]);
    expect(answer.status, `${JSON.stringify(answer.body)} ${answer.logs.slice(-3).join('\n')}`).toBe(200);
    const page = answer.body as unknown as Page;
    cursor = page.next_cursor;
    if (cursor !== null) expect(page.results).toHaveLength(limit);
    else expect(page.results.length).toBeLessThanOrEqual(limit);
    results.push(...page.results);
    pages++;
    if (pages > 1000) throw new Error('pagination does not end');
  } while (cursor !== null);
  return { results, pages };
}

/** A 4xx problem+json with nothing internal in it. */
export function expectProblem(answer: Answer, status: number, code: string, fields?: string[]): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.headers['Content-Type']).toBe('application/problem+json');
  expect(answer.body).toMatchObject({ status, code });
  expect(
    Object.keys(answer.body).every((k) =>
      ['type', 'title', 'status', 'detail', 'code', 'errors', 'request_id'].includes(k),
    ),
  ).toBe(true);
  expect(JSON.stringify(answer.body)).not.toMatch(/\n\s+at |node_modules|Error:/);
  if (fields) {
    const named = ((answer.body.errors ?? []) as { field: string }[]).map((e) => e.field);
    for (const field of fields) expect(named, JSON.stringify(answer.body)).toContain(field);
  }
}
