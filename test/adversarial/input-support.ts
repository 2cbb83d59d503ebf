import { randomBytes } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { expect } from 'vitest';
import { foldCase, messageToRow } from '../../shared/items/message.js';
import { messageRowKey } from '../../shared/items/keys.js';
import { readAnswer, type Answer, type Stack } from '../support/stack.js';
import { expectProblem } from './endpoints.js';
import type { Caller } from './two-callers.js';

export type { Answer };

/** The fields of a listed email message (API.md "Queries") that these tests read. */
export interface ListedMessage {
  id: string;
  integration_id: string;
  subject: string;
  body_preview: string;
  from: { name: string; email: string } | null;
}

/** A request with any body bytes and content type (stack.api always JSON-encodes objects). */
export async function raw(
  stack: Stack,
  method: string,
  path: string,
  o: { token?: string; body?: string | Buffer | ReadableStream; type?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.type !== undefined) headers['content-type'] = o.type;
  const init: RequestInit & { duplex?: 'half' } = { method, headers, body: o.body as RequestInit['body'] };
  if (o.body instanceof ReadableStream) init.duplex = 'half';
  return readAnswer(await fetch(`${stack.host.url}/api/${path}`, init));
}

/**
 * What every answer to hostile input must satisfy: no 5xx; no header smuggled in through a value;
 * a 4xx is problem+json with code, status and request_id; a 2xx holds nothing of another caller.
 */
export function expectSafe(res: Answer, caller: Caller, what: string): void {
  expect(res.status, `${what} → ${JSON.stringify(res.body)?.slice(0, 300)}`).toBeLessThan(500);
  expect(res.headers.has('x-injected') || res.headers.has('set-cookie'), what).toBe(false);
  if (res.status >= 400) return expectProblem(res, res.status, undefined, what);
  const mine = new Set(caller.ids);
  const items: { id: string; integration_id?: string }[] = Array.isArray(res.body?.results)
    ? res.body.results
    : res.body?.id
      ? [res.body]
      : [];
  for (const item of items) expect(mine.has(item.integration_id ?? item.id), what).toBe(true);
}

/** Sends requests with bounded concurrency (the local host and Azurite share two cores with the tests). */
export async function inParallel<T>(items: T[], run: (item: T) => Promise<void>, concurrency = 8): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

/** Adds, to each of the caller's mailboxes, one message per term whose subject carries the term. */
export async function seedTermMessages(stack: Stack, caller: Caller, terms: string[], label: string): Promise<void> {
  const table = TableClient.fromConnectionString(stack.azurite.connectionString, 'EmailMessages', {
    allowInsecureConnection: true,
  });
  const now = Date.now();
  for (const integrationId of caller.mailIds) {
    const actions = terms.map((term, i) => {
      const id = randomBytes(20).toString('base64url').slice(0, 27);
      const receivedMs = now - (i + 1) * 60_000;
      const row = messageToRow(integrationId, messageRowKey(receivedMs, id), {
        id,
        externalId: `seeded-${id}`,
        changeKey: 'ck',
        folder: 'inbox',
        subject: `${term} ${label}`,
        bodyPreview: `preview of ${label}`,
        from: { name: `Sender ${label}`, email: `${label}@contoso.example` },
        to: [],
        toTotal: 0,
        cc: [],
        ccTotal: 0,
        receivedMs,
        isRead: false,
        importance: 'normal',
        hasAttachments: false,
        conversationId: 'conv',
        webLink: 'https://outlook.example/x',
        categories: [],
        folderId: 'AAMkInbox',
      });
      return ['upsert', row] as const;
    });
    // One upsert per row: what is under test is the query, not Azurite's batch parser.
    await Promise.all(
      actions.map(([, row]) => table.upsertEntity(row as Parameters<TableClient['upsertEntity']>[0], 'Replace')),
    );
  }
}

/** Every message the caller can list, read through the API page by page. */
export async function allMessages(stack: Stack, caller: Caller): Promise<ListedMessage[]> {
  const out: ListedMessage[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `integrations/email-messages?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await stack.api('GET', query, { token: caller.token });
    expect(res.status).toBe(200);
    out.push(...res.body.results);
    cursor = res.body.next_cursor;
  } while (cursor);
  return out;
}

/** The oracle of `search`: case-folded containment in subject, preview, sender name and address. */
export const matches = (m: ListedMessage, term: string) =>
  foldCase([m.subject, m.body_preview, m.from?.name ?? '', m.from?.email ?? ''].join('\n')).includes(foldCase(term));

/** The query parameters a GET endpoint reads: an unknown one makes it list them (none if it ignores the query). */
export async function queryParams(stack: Stack, path: string, token: string): Promise<string[]> {
  const res = await stack.api('GET', `${path}?zz_unknown=1`, { token });
  if (res.status === 200) return [];
  expectProblem(res, 400, 'validation_failed', path);
  const listed = res.body.errors
    .find((x: { field: string }) => x.field === 'zz_unknown')
    ?.message.match(/known: ([\w, ]+)\)/)?.[1];
  expect(listed, `${path} names its parameters`).toBeDefined();
  return listed.split(', ');
}
