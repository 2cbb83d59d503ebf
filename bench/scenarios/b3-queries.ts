import { foldCase } from '../../shared/items/message.js';
import { BENCH_SETTINGS } from '../env/settings.js';
import { startStack, type Stack } from '../../test/support/stack.js';
import { tableClient } from '../lib/app.js';
import { fmt, ms, times, type Options, type Row, type ScenarioResult } from '../lib/report.js';
import { percentile, ratio } from '../lib/stats.js';
import { rawEvents, rawFilteredEvents, rawSearch } from './b3-raw.js';
import { queryAccount } from './b3-setup.js';
import { eventsBreakdown } from './b3-breakdown.js';
import { runL1 } from './l1-load.js';

const DAY_MS = 86_400_000;
const GOAL = 1.5;
const LIMIT = 100; // the API's default page size
/** In about one subject in sixteen of the seeded mail: a page of 100 matches reads ~1,600 rows. */
const SEARCH = 'Invoice';
/** One of the simulator's people (an attendee of about one event in five) and the commonest status. */
export const FILTER = { attendee: 'adelev@contoso.com', showAs: 'busy' } as const;

export interface QueryWorld {
  stack: Stack<'child-process'>;
  token: string;
  calendarId: string;
  mailId: string;
  eventsPath: string;
  searchPath: string;
  filteredPath: string;
  window: { startMs: number; endMs: number };
  /** The whole seeded calendar (±62 days): what the filtered query reads. */
  wholeWindow: { startMs: number; endMs: number };
}

/** B3 (query latency, one request at a time) and L1 (the load run) share one synced account. */
export async function runB3AndL1(options: Options): Promise<ScenarioResult[]> {
  const size = options.quick
    ? { events: 1000, messages: 2000, requests: 31 }
    : { events: 5000, messages: 10_000, requests: 201 };
  const stack = await startStack({
    simulator: 'child-process',
    serve: 'http',
    hostJson: 'app',
    keepLogs: false,
    settings: BENCH_SETTINGS,
  });
  try {
    const world = await setUp(stack, size);
    const b3 = await runB3(world, size);
    const l1 = await runL1(world, options);
    if (stack.failures.length) throw new Error(`the app logged failures: ${stack.failures.slice(0, 3).join(' | ')}`);
    return [b3, l1];
  } finally {
    await stack.stop();
  }
}

async function setUp(stack: Stack<'child-process'>, size: { events: number; messages: number }): Promise<QueryWorld> {
  const email = 'b3@contoso.example';
  const { calendarId, mailId } = await queryAccount(stack, email, size);
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const window = { startMs: today - 15 * DAY_MS, endMs: today + 16 * DAY_MS };
  const wholeWindow = { startMs: today - 62 * DAY_MS, endMs: today + 62 * DAY_MS };
  const iso = (n: number) => new Date(n).toISOString();
  return {
    stack,
    token: await stack.sim.callerToken(email),
    calendarId,
    mailId,
    eventsPath: `/api/integrations/calendar-events?start_date=${iso(window.startMs)}&end_date=${iso(window.endMs)}&limit=${LIMIT}`,
    searchPath: `/api/integrations/email-messages?search=${SEARCH}&limit=${LIMIT}`,
    filteredPath: `/api/integrations/calendar-events?start_date=${iso(wholeWindow.startMs)}&end_date=${iso(wholeWindow.endMs)}&attendee=${FILTER.attendee}&show_as=${FILTER.showAs}&limit=${LIMIT}`,
    window,
    wholeWindow,
  };
}

async function runB3(
  w: QueryWorld,
  size: { events: number; messages: number; requests: number },
): Promise<ScenarioResult> {
  const events = tableClient(w.stack.direct, 'CalendarEvents');
  const messages = tableClient(w.stack.direct, 'EmailMessages');
  const bytes: Record<string, number> = {};
  const matched: Record<string, number> = {};
  const ours = async (path: string): Promise<string[]> => {
    const res = await fetch(`${w.stack.host.url}${path}`, { headers: { authorization: `Bearer ${w.token}` } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    bytes[path] = text.length;
    return (JSON.parse(text) as { results: { id: string }[] }).results.map((r) => r.id);
  };
  const cases = {
    events: { ours: () => ours(w.eventsPath), raw: () => rawEvents(events, w.calendarId, w.window, LIMIT) },
    search: { ours: () => ours(w.searchPath), raw: () => rawSearch(messages, w.mailId, foldCase(SEARCH), LIMIT) },
    filtered: {
      ours: () => ours(w.filteredPath),
      raw: () => rawFilteredEvents(events, w.calendarId, w.wholeWindow, FILTER, LIMIT),
    },
  };
  type Case = keyof typeof cases;
  const samples: Record<Case, { ours: number[]; raw: number[] }> = {
    events: { ours: [], raw: [] },
    search: { ours: [], raw: [] },
    filtered: { ours: [], raw: [] },
  };
  for (const [name, c] of Object.entries(cases)) {
    // Same rows, or the comparison means nothing (the quick run's small calendar may match fewer than a page).
    const [a, b] = [await c.ours(), await c.raw()];
    if (a.length < (name === 'filtered' ? 20 : LIMIT) || a.join() !== b.join())
      throw new Error(`B3 ${name}: ours and raw return different rows (${a.length} vs ${b.length})`);
    matched[name] = a.length;
  }
  for (let i = 0; i < size.requests; i++) {
    for (const [name, c] of Object.entries(cases)) {
      for (const which of i % 2 === 0 ? (['ours', 'raw'] as const) : (['raw', 'ours'] as const)) {
        const started = performance.now();
        await c[which]();
        samples[name as Case][which].push(performance.now() - started);
      }
    }
  }
  const p = (list: number[], q: number) => percentile(list, q);
  const parts = await eventsBreakdown(w, LIMIT, Math.min(51, size.requests));
  const rest = p(samples.events.ours, 50) - p(samples.events.raw, 50) - Object.values(parts).reduce((a, b) => a + b, 0);
  const labels: Record<Case, string> = {
    events: `calendar-events, 31-day window of ${fmt(size.events, 0)} events, limit ${LIMIT}`,
    search: `email-messages?search=${SEARCH} over ${fmt(size.messages, 0)} messages, limit ${LIMIT}`,
    filtered: `calendar-events?attendee=…&show_as=${FILTER.showAs} over all ${fmt(size.events, 0)} events (${matched.filtered} matches), limit ${LIMIT}`,
  };
  const rows: Row[] = (['events', 'search', 'filtered'] as const).flatMap((name) => {
    const s = samples[name];
    const label = labels[name];
    const p50 = ratio(p(s.ours, 50), p(s.raw, 50));
    return [
      {
        metric: `${label}: p50`,
        ours: ms(p(s.ours, 50)),
        reference: ms(p(s.raw, 50)),
        ratio: times(p50),
        goal: `≤ ${GOAL}× raw`,
        met: p50 <= GOAL,
      },
      {
        metric: `${label}: p99`,
        ours: ms(p(s.ours, 99)),
        reference: ms(p(s.raw, 99)),
        ratio: times(ratio(p(s.ours, 99), p(s.raw, 99))),
        goal: '',
      },
    ];
  });
  rows.push({
    metric: `calendar-events beyond raw, p50 of each step alone: Integrations read / long-event (l-range) scan / parse+shape+serialise / rest (JWT, host, HTTP transfer and client parse of the ${fmt(bytes[w.eventsPath]! / 1024, 0)} KiB page)`,
    ours:
      [parts.integrations_read!, parts.long_event_scan!, parts.parse_shape_serialise!, rest]
        .map((v) => fmt(v, 1))
        .join(' / ') + ' ms',
    reference: '',
    ratio: '',
    goal: '',
  });
  return {
    id: 'B3',
    title: 'queries',
    params: { ...size, limit: LIMIT, search: SEARCH, filter: FILTER },
    figures: {
      ...Object.fromEntries(
        Object.entries(samples).map(([k, s]) => [k, { ours: summary(s.ours), raw: summary(s.raw) }]),
      ),
      events_breakdown_ms: { ...parts, rest },
      response_bytes: bytes,
    },
    rows,
    notes: [
      `Ours: GET through the local host over HTTP with a bearer token (JWT checked, Integrations read, rows parsed, cursor signed). Raw: the TableClient query for the same rows from the bench process (checked equal before timing); for the filtered query, the range scan over the whole calendar in pages of 1,000 with show_as and the attendee checked in memory. ${size.requests} requests each, one at a time, ours and raw interleaved.`,
    ],
  };
}

const summary = (list: number[]) => ({
  n: list.length,
  p50: percentile(list, 50),
  p90: percentile(list, 90),
  p99: percentile(list, 99),
  max: Math.max(...list),
});
