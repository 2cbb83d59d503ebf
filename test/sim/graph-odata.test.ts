import { describe, expect, it } from 'vitest';
import { GraphError } from '../../dev/sim/graph/errors.js';
import { createGraphService } from '../../dev/sim/graph/index.js';
import { MESSAGE_PROPERTIES } from '../../dev/sim/graph/message-json.js';
import {
  applySelect,
  parseMessageFilter,
  parsePrefer,
  parseSearch,
  parseSelect,
  parseTop,
  queryOf,
} from '../../dev/sim/graph/odata.js';
import { callerFor, json } from '../../dev/sim/graph/testing.js';

type Obj = Record<string, unknown>;
const now = new Date('2025-03-10T12:00:00Z');

const status400 = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof GraphError && e.status === 400) return e.code;
    throw e;
  }
  throw new Error('expected a 400');
};

describe('OData option parsing', () => {
  it('parses $select case-insensitively into canonical names and rejects unknown ones', () => {
    expect(parseSelect('Subject, ISREAD,sender', MESSAGE_PROPERTIES, 'message')).toEqual([
      'subject',
      'isRead',
      'sender',
    ]);
    expect(parseSelect(undefined, MESSAGE_PROPERTIES, 'message')).toBeUndefined();
    expect(status400(() => parseSelect('subject,colour', MESSAGE_PROPERTIES, 'message'))).toBe(
      'RequestBroker--ParseUri',
    );
    expect(status400(() => parseSelect('', MESSAGE_PROPERTIES, 'message'))).toBe('RequestBroker--ParseUri');
  });

  it('keeps annotations and id when applying $select', () => {
    const obj = { '@odata.etag': 'W/"1"', id: 'x', subject: 's', isRead: true, body: {} };
    expect(applySelect(obj, ['subject'])).toEqual({ '@odata.etag': 'W/"1"', subject: 's', id: 'x' });
    expect(applySelect(obj, undefined)).toBe(obj);
  });

  it('parses $filter comparisons joined by and', () => {
    expect(parseMessageFilter('isRead eq false')).toEqual([{ property: 'isRead', op: 'eq', value: false }]);
    expect(parseMessageFilter("importance eq 'High' and receivedDateTime ge 2025-01-01T00:00:00Z")).toEqual([
      { property: 'importance', op: 'eq', value: 'high' },
      { property: 'receivedDateTime', op: 'ge', value: Date.UTC(2025, 0, 1) },
    ]);
    for (const bad of ['isRead eq maybe', 'isRead gt true', "subject eq 'x'", 'receivedDateTime ge soon', 'isRead']) {
      expect(status400(() => parseMessageFilter(bad))).toBe('BadRequest');
    }
  });

  it('parses $search terms, with field prefixes and quotes', () => {
    expect(parseSearch('"Groß Straße"')).toEqual([
      { field: 'any', text: 'groß' },
      { field: 'any', text: 'straße' },
    ]);
    expect(parseSearch('"from:Zoë subject:café"')).toEqual([
      { field: 'from', text: 'zoë' },
      { field: 'subject', text: 'café' },
    ]);
    expect(parseSearch('日本')).toEqual([{ field: 'any', text: '日本' }]);
    expect(status400(() => parseSearch('two words'))).toBe('BadRequest');
    expect(status400(() => parseSearch('""'))).toBe('BadRequest');
  });

  it('parses $top and refuses duplicates of an option', () => {
    expect(parseTop('25', 10, 1000)).toBe(25);
    expect(parseTop(undefined, 10, 1000)).toBe(10);
    expect(status400(() => parseTop('0', 10, 1000))).toBe('ErrorInvalidArgument');
    expect(status400(() => parseTop('1001', 10, 1000))).toBe('ErrorInvalidArgument');
    expect(status400(() => parseTop('ten', 10, 1000))).toBe('BadRequest');
    expect(status400(() => queryOf(new URLSearchParams('$top=1&$TOP=2')))).toBe('BadRequest');
  });

  it('reads Prefer with several preferences and ignores malformed ones', () => {
    expect(parsePrefer('odata.maxpagesize=50, outlook.timezone="Pacific Standard Time"')).toEqual({
      maxPageSize: 50,
      timeZone: 'Pacific Standard Time',
    });
    expect(parsePrefer('odata.maxpagesize=abc, return=minimal')).toEqual({});
    expect(parsePrefer(undefined)).toEqual({});
  });
});

describe('messages list with query options', () => {
  const service = createGraphService({ seed: 21, now: () => now });
  const user = service.createUser({
    email: 'q@contoso.com',
    mailbox: { messages: 120, unread_share: 0.25, folders: [] },
  });
  const call = callerFor(service, user);
  const truth = service.mailboxTruth('q@contoso.com') as Obj[];

  async function all(url: string): Promise<Obj[]> {
    const out: Obj[] = [];
    let next: string | undefined = url;
    while (next) {
      const res = await call('GET', next);
      expect(res.status).toBe(200);
      out.push(...(json(res).value as Obj[]));
      next = json(res)['@odata.nextLink'] as string | undefined;
    }
    return out;
  }

  it('respects $select exactly (plus @odata.etag and id)', async () => {
    const page = json(await call('GET', '/me/messages?$select=subject,sender&$top=5')).value as Obj[];
    expect(page).toHaveLength(5);
    for (const m of page) expect(Object.keys(m).sort()).toEqual(['@odata.etag', 'id', 'sender', 'subject']);
  });

  it('filters on isRead and pages through every match', async () => {
    const unread = await all('/me/messages?$filter=isRead eq false&$top=7');
    expect(unread).toHaveLength(30);
    expect(unread.every((m) => m.isRead === false)).toBe(true);
    expect(new Set(unread.map((m) => m.id)).size).toBe(30);
    expect((await all('/me/messages?$filter=isRead eq true&$top=50')).length).toBe(90);
  });

  it('orders by receivedDateTime descending by default and ascending on request', async () => {
    const desc = await all('/me/messages?$top=40&$select=receivedDateTime');
    expect(desc.map((m) => m.id)).toEqual(truth.map((m) => m.id));
    const asc = await all('/me/messages?$top=40&$orderby=receivedDateTime asc&$select=receivedDateTime');
    const times = asc.map((m) => String(m.receivedDateTime));
    expect([...times].sort()).toEqual(times);
    expect(asc).toHaveLength(120);
  });

  it('searches subject, body and sender case-insensitively, non-ASCII included', async () => {
    const expected = (needle: string): string[] =>
      truth
        .filter((m) => {
          const from = (m.from as { emailAddress: { name: string; address: string } }).emailAddress;
          const hay =
            `${String(m.subject)} ${String((m.body as { content: string }).content)} ${from.name} ${from.address}`.toLowerCase();
          return hay.includes(needle);
        })
        .map((m) => String(m.id))
        .sort();
    for (const [query, needle] of [
      ['"MÜLLER"', 'müller'],
      ['日本', '日本'],
      ['"groß"', 'groß'],
      ['Résumé', 'résumé'],
    ] as const) {
      const got = (await all(`/me/messages?$search=${encodeURIComponent(query)}&$top=50`))
        .map((m) => String(m.id))
        .sort();
      expect(got.length).toBeGreaterThan(0);
      expect(got).toEqual(expected(needle));
    }
  });

  it('answers 400 for bad or unsupported combinations', async () => {
    for (const url of [
      '/me/messages?$top=0',
      '/me/messages?$select=nope',
      '/me/messages?$filter=colour eq 1',
      '/me/messages?$search="x"&$orderby=subject',
      '/me/messages?$orderby=importance',
      '/me/messages?$skiptoken=%%%',
    ]) {
      const res = await call('GET', url);
      expect(res.status, url).toBe(400);
      expect((json(res).error as Obj).innerError).toMatchObject({
        'request-id': expect.any(String),
        date: expect.any(String),
      });
    }
  });
});
