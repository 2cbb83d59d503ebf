import { GraphError } from '@microsoft/microsoft-graph-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { parseDeltaPage } from '../../shared/graph/schemas.js';
import { runDeltaStream, type StreamContext, type StreamSpec } from '../../shared/sync/delta-stream.js';
import { LeaseLostError, ThrottledError } from '../../shared/sync/errors.js';
import type { StreamState } from '../../shared/sync/state-store.js';
import { FakeGraph, MemoryStates, MemoryWriter, memoryLog, type Journal } from './fakes/delta-ports.js';

// Graph pages as Graph sends them: absolute links on the Graph host, items and `@removed` entries.
const GRAPH = 'https://graph.microsoft.com/v1.0';
const INITIAL = '/me/mailFolders/inbox/messages/delta';
const link = (token: string) => `${GRAPH}/me/mailFolders/inbox/messages/delta?$skiptoken=${token}`;
const delta = (token: string) => `${GRAPH}/me/mailFolders/inbox/messages/delta?$deltatoken=${token}`;
const item = (id: string, subject = `s-${id}`) => ({ id, subject });
const removed = (id: string) => ({ id, '@removed': { reason: 'deleted' } });
const page = (value: unknown[], links: { next?: string; delta?: string }) => ({
  value,
  ...(links.next ? { '@odata.nextLink': links.next } : {}),
  ...(links.delta ? { '@odata.deltaLink': links.delta } : {}),
});

const itemSchema = z.object({ id: z.string(), subject: z.string() });
type Item = z.infer<typeof itemSchema>;

function spec(window?: { start: string; end: string }): StreamSpec<Item> {
  return {
    stream: 'mail:inbox',
    initialUrl: INITIAL,
    headers: { Prefer: 'odata.maxpagesize=2' },
    window,
    parsePage: (body) => parseDeltaPage(body, itemSchema),
    // The item id is ours (prefixed), the hash is the content: a changed subject is a changed item.
    toUpserts: async (items) =>
      items.map((i) => ({
        id: `x${i.id}`,
        rowKey: `m|${i.id}`,
        hash: i.subject,
        row: { partitionKey: 'p', rowKey: `m|${i.id}` },
      })),
    itemIdOf: (graphId) => `x${graphId}`,
  };
}

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const HOUR = 3600_000;

let journal: Journal;
let graph: FakeGraph;
let states: MemoryStates;
let writer: MemoryWriter;
let log: ReturnType<typeof memoryLog>;
let heartbeat: StreamContext['heartbeat'];

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
  journal = [];
  graph = new FakeGraph(journal);
  states = new MemoryStates(journal);
  writer = new MemoryWriter(journal);
  log = memoryLog();
  heartbeat = vi.fn(async (force?: boolean) => void journal.push(force ? 'heartbeat forced' : 'heartbeat'));
});
afterEach(() => void vi.useRealTimers());

const run = (s: StreamSpec<Item> = spec()) => runDeltaStream(s, { get: graph.get, states, writer, log, heartbeat });
const saved = () => states.rows.get('mail:inbox');
const deltaState = (over: Partial<StreamState> = {}): StreamState => ({
  round: 'r-old',
  roundKind: 'delta',
  deltaLink: delta('d1'),
  deltaSavedAt: new Date(NOW - HOUR).toISOString(),
  ...over,
});

describe('runDeltaStream: a first sync', () => {
  it('commits the pages in order, checkpointing each nextLink after its commit, and saves the deltaLink last', async () => {
    graph
      .on(INITIAL, page([item('1'), item('2')], { next: link('p2') }))
      .on(link('p2'), page([item('3'), item('4')], { next: link('p3') }))
      .on(link('p3'), page([item('5')], { delta: delta('d1') }));

    const result = await run();

    expect(result).toEqual({ upserted: 5, deleted: 0, pages: 3, fullRound: true });
    expect(journal).toEqual([
      `get ${INITIAL}`,
      'apply +x1,x2 -',
      `checkpoint next ${link('p2')}`,
      'heartbeat',
      `get ${link('p2')}`,
      'apply +x3,x4 -',
      `checkpoint next ${link('p3')}`,
      'heartbeat',
      `get ${link('p3')}`,
      'apply +x5 -',
      'heartbeat forced',
      'sweep -',
      'heartbeat forced',
      `checkpoint delta ${delta('d1')}`,
    ]);
    const state = saved()!;
    expect(state).toMatchObject({
      roundKind: 'delta',
      deltaLink: delta('d1'),
      deltaSavedAt: new Date(NOW).toISOString(),
    });
    expect(state.nextLink).toBeUndefined();
    // Every item of the round carries its round id, the one the sweep keeps.
    expect(new Set([...writer.items.values()].map((i) => i.round))).toEqual(new Set([state.round]));
    expect(graph.requests.every((r) => r.headers.Prefer === 'odata.maxpagesize=2')).toBe(true);
    expect(log.lines).toContainEqual(
      expect.objectContaining({ message: 'full round', fields: { stream: 'mail:inbox', reason: 'first sync' } }),
    );
  });

  it('keeps the window in the saved state and starts over when the window moves', async () => {
    const first = { start: '2026-01-30T00:00:00Z', end: '2026-03-31T00:00:00Z' };
    const moved = { start: '2026-01-31T00:00:00Z', end: '2026-04-01T00:00:00Z' };
    states.rows.set('mail:inbox', deltaState({ windowStart: first.start, windowEnd: first.end }));
    writer.items.set('xold', { hash: 'h', round: 'r-old' });
    graph.on(INITIAL, page([item('1')], { delta: delta('d2') }));

    const result = await run(spec(moved));

    expect(graph.requests.map((r) => r.url)).toEqual([INITIAL]);
    expect(result.fullRound).toBe(true);
    expect(saved()).toMatchObject({ windowStart: moved.start, windowEnd: moved.end, deltaLink: delta('d2') });
    expect(saved()!.round).not.toBe('r-old');
    expect([...writer.items.keys()]).toEqual(['x1']); // what the new window no longer lists is swept
    expect(log.lines).toContainEqual(
      expect.objectContaining({ message: 'full round', fields: { stream: 'mail:inbox', reason: 'window moved' } }),
    );
  });

  it('counts items rejected by the schema in a warning and writes the rest', async () => {
    graph.on(INITIAL, page([item('1'), { id: 'bad', subject: 42 }], { delta: delta('d1') }));
    expect((await run()).upserted).toBe(1);
    expect(log.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', fields: { stream: 'mail:inbox', count: 1 } }),
    );
  });
});

describe('runDeltaStream: resuming', () => {
  it('resumes a full round from the saved nextLink with its round id, then sweeps what the round did not see', async () => {
    // Page 1 of round r1 was committed before a crash: x1 and x2 carry r1; x9 is from an earlier round.
    states.rows.set('mail:inbox', { round: 'r1', roundKind: 'full', nextLink: link('p2') });
    writer.items.set('x1', { hash: 's-1', round: 'r1' });
    writer.items.set('x2', { hash: 's-2', round: 'r1' });
    writer.items.set('x9', { hash: 's-9', round: 'r0' });
    graph.on(link('p2'), page([item('3')], { delta: delta('d1') }));

    const result = await run();

    expect(graph.requests.map((r) => r.url)).toEqual([link('p2')]);
    expect(result).toEqual({ upserted: 1, deleted: 1, pages: 1, fullRound: true });
    expect([...writer.items.keys()].sort()).toEqual(['x1', 'x2', 'x3']);
    expect(journal).toContain('sweep -x9');
    expect(saved()).toMatchObject({ round: 'r1', roundKind: 'delta', deltaLink: delta('d1') });
    expect(log.lines.some((l) => l.message === 'full round')).toBe(false);
  });

  it('a page whose commit fails leaves the previous checkpoint, and the next run picks up from it', async () => {
    graph
      .on(INITIAL, page([item('1')], { next: link('p2') }))
      .on(link('p2'), page([item('2')], { next: link('p3') }))
      .on(link('p3'), page([item('3')], { delta: delta('d1') }));
    const outage = new Error('storage down');
    let applies = 0;
    const apply = writer.apply.bind(writer);
    writer.apply = async (...args) => {
      if (++applies === 2) writer.failNextApply = outage;
      return apply(...args);
    };

    await expect(run()).rejects.toBe(outage);
    expect(saved()).toMatchObject({ roundKind: 'full', nextLink: link('p2') });
    expect(journal).not.toContain(`checkpoint next ${link('p3')}`);

    graph.requests.length = 0;
    const result = await run();
    expect(graph.requests.map((r) => r.url)).toEqual([link('p2'), link('p3')]);
    expect(result.upserted).toBe(2);
    expect([...writer.items.keys()].sort()).toEqual(['x1', 'x2', 'x3']);
    expect(saved()).toMatchObject({ roundKind: 'delta', deltaLink: delta('d1') });
  });
});

describe('runDeltaStream: delta rounds', () => {
  it('follows the saved deltaLink, applies upserts and removals, sweeps nothing and saves the new deltaLink', async () => {
    states.rows.set('mail:inbox', deltaState());
    writer.items.set('x1', { hash: 's-1', round: 'r-old' });
    writer.items.set('x2', { hash: 's-2', round: 'r-old' });
    writer.items.set('x3', { hash: 's-3', round: 'r-old' });
    graph.on(delta('d1'), page([item('1', 'changed'), removed('2')], { delta: delta('d2') }));

    const result = await run();

    expect(result).toEqual({ upserted: 1, deleted: 1, pages: 1, fullRound: false });
    expect(journal.some((l) => l.startsWith('sweep'))).toBe(false);
    expect([...writer.items.keys()].sort()).toEqual(['x1', 'x3']); // x3 unlisted, not swept in a delta round
    expect(saved()).toMatchObject({
      round: 'r-old',
      roundKind: 'delta',
      deltaLink: delta('d2'),
      deltaSavedAt: new Date(NOW).toISOString(),
    });
    expect(journal.slice(-2)).toEqual(['heartbeat forced', `checkpoint delta ${delta('d2')}`]);
  });

  it('a quiet round (one empty page, recent deltaLink) writes no checkpoint and forces no heartbeat', async () => {
    const before = deltaState({ deltaSavedAt: new Date(NOW - 23 * HOUR).toISOString() });
    states.rows.set('mail:inbox', before);
    graph.on(delta('d1'), page([], { delta: delta('d2') }));

    const result = await run();

    expect(result).toEqual({ upserted: 0, deleted: 0, pages: 1, fullRound: false });
    expect(journal.filter((l) => l.startsWith('checkpoint') || l.startsWith('heartbeat'))).toEqual([]);
    expect(saved()).toEqual(before);
  });

  it('a quiet round refreshes a deltaLink saved 24 hours ago or more, so it never ages out', async () => {
    states.rows.set('mail:inbox', deltaState({ deltaSavedAt: new Date(NOW - 24 * HOUR).toISOString() }));
    graph.on(delta('d1'), page([], { delta: delta('d2') }));

    await run();

    expect(saved()).toMatchObject({ deltaLink: delta('d2'), deltaSavedAt: new Date(NOW).toISOString() });
  });

  it('a delta round whose answer spans several pages is not quiet even when every page is empty', async () => {
    states.rows.set('mail:inbox', deltaState());
    graph.on(delta('d1'), page([], { next: link('q2') })).on(link('q2'), page([], { delta: delta('d2') }));

    const result = await run();

    expect(result.pages).toBe(2);
    expect(saved()).toMatchObject({ deltaLink: delta('d2') });
    expect(saved()!.nextLink).toBeUndefined();
  });
});

describe('runDeltaStream: expired delta tokens and failures', () => {
  it('410 on the deltaLink starts one full round with a new round id and sweeps what Graph no longer lists', async () => {
    states.rows.set('mail:inbox', deltaState());
    writer.items.set('x1', { hash: 's-1', round: 'r-old' });
    writer.items.set('x2', { hash: 's-2', round: 'r-old' });
    graph.on(delta('d1'), new GraphError(410, 'Gone')).on(INITIAL, page([item('1')], { delta: delta('d9') }));

    const result = await run();

    expect(graph.requests.map((r) => r.url)).toEqual([delta('d1'), INITIAL]);
    expect(result).toEqual({ upserted: 0, deleted: 1, pages: 1, fullRound: true });
    expect([...writer.items.keys()]).toEqual(['x1']);
    expect(journal).toContain('sweep -x2');
    expect(saved()).toMatchObject({ roundKind: 'delta', deltaLink: delta('d9') });
    expect(saved()!.round).not.toBe('r-old');
    expect(writer.items.get('x1')!.round).toBe(saved()!.round);
    expect(log.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'delta token expired; full resync' }),
    );
  });

  it('an expired token that is still refused on the initial URL fails instead of looping', async () => {
    states.rows.set('mail:inbox', deltaState());
    const gone = new GraphError(410, 'Gone');
    graph.on(delta('d1'), gone).on(INITIAL, gone);

    await expect(run()).rejects.toBe(gone);
    expect(graph.requests).toHaveLength(2);
    expect(saved()).toEqual(deltaState());
  });

  it('throttling ends the stream as ThrottledError with the Retry-After, writing nothing', async () => {
    states.rows.set('mail:inbox', deltaState());
    const throttled = new GraphError(429, 'Too Many Requests');
    throttled.headers = new Headers({ 'Retry-After': '120' });
    graph.on(delta('d1'), throttled);

    const error = await run().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as ThrottledError).retryAfterMs).toBe(120_000);
    expect(saved()).toEqual(deltaState());
    expect(journal.filter((l) => l.startsWith('apply') || l.startsWith('checkpoint'))).toEqual([]);
  });

  it('a lease lost before the sweep stops the stream: nothing swept, no deltaLink saved', async () => {
    writer.items.set('xold', { hash: 'h', round: 'r0' });
    graph.on(INITIAL, page([item('1')], { delta: delta('d1') }));
    const lost = new LeaseLostError('lease taken');
    heartbeat = vi.fn(async (force?: boolean) => {
      if (force) throw lost;
    });

    await expect(run()).rejects.toBe(lost);
    expect(writer.items.has('xold')).toBe(true);
    expect(saved()).toBeUndefined();
    expect(heartbeat).toHaveBeenCalledWith(true);
  });

  it('a last page with neither nextLink nor deltaLink is an error, and the round stays resumable', async () => {
    graph.on(INITIAL, page([item('1')], { next: link('p2') })).on(link('p2'), page([item('2')], {}));

    await expect(run()).rejects.toThrow(/neither nextLink nor deltaLink/);
    expect(saved()).toMatchObject({ roundKind: 'full', nextLink: link('p2') });
  });
});
