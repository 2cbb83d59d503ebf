import { BUSY_STATUSES, mergeBusy, type BusyInterval, type BusyStatus } from '../../shared/query/busy-intervals.js';
import { startStack } from '../../test/support/stack.js';
import { BENCH_SETTINGS } from '../env/settings.js';
import { tableClient } from '../lib/app.js';
import { ms, times, type Options, type ScenarioResult } from '../lib/report.js';
import { percentile, ratio } from '../lib/stats.js';
import { rangeScan } from './b3-raw.js';
import { queryAccount } from './b3-setup.js';

const DAY_MS = 86_400_000;
const GOAL = 1.5;
const WINDOW_DAYS = 14;

/**
 * B8: GET /api/integrations/free-busy for 14 days of a 5,000-event calendar through the local host,
 * against the raw range scan of the same window (every column, pages of 1,000) with the same rules
 * and merge in memory, checked to give the same intervals before timing.
 */
export async function runB8(options: Options): Promise<ScenarioResult> {
  const size = options.quick ? { events: 1000, requests: 31 } : { events: 5000, requests: 201 };
  const stack = await startStack({
    simulator: 'child-process',
    serve: 'http',
    hostJson: 'app',
    keepLogs: false,
    settings: BENCH_SETTINGS,
  });
  try {
    const email = 'b8@contoso.example';
    const { calendarId } = await queryAccount(stack, email, { events: size.events, messages: 10 });
    const token = await stack.sim.callerToken(email);
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const window = { startMs: today, endMs: today + WINDOW_DAYS * DAY_MS };
    const iso = (n: number) => new Date(n).toISOString();
    const path = `/api/integrations/free-busy?start_date=${iso(window.startMs)}&end_date=${iso(window.endMs)}`;
    const events = tableClient(stack.direct, 'CalendarEvents');
    let rowsRead = 0;
    const ours = async () => {
      const res = await fetch(`${stack.host.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      return JSON.stringify(((await res.json()) as { busy: unknown[] }).busy);
    };
    const raw = async () => {
      const intervals: BusyInterval[] = [];
      rowsRead = 0;
      for await (const page of rangeScan(events, calendarId, window)) {
        for (const row of page) {
          rowsRead++;
          if (row.isCancelled || !(BUSY_STATUSES as readonly string[]).includes(row.showAs ?? '')) continue;
          intervals.push({
            startMs: Date.parse(row.start),
            endMs: Date.parse(row.end),
            status: row.showAs as BusyStatus,
          });
        }
      }
      const secs = (n: number) => iso(n).replace(/\.\d{3}Z$/, 'Z');
      return JSON.stringify(
        mergeBusy(intervals, window).map((i) => ({ start: secs(i.startMs), end: secs(i.endMs), status: i.status })),
      );
    };
    const [a, b] = [await ours(), await raw()];
    if (a !== b || a.length < 10) throw new Error('B8: ours and raw give different intervals');
    const intervals = (JSON.parse(a) as unknown[]).length;
    const samples = { ours: [] as number[], raw: [] as number[] };
    for (let i = 0; i < size.requests; i++) {
      for (const which of i % 2 === 0 ? (['ours', 'raw'] as const) : (['raw', 'ours'] as const)) {
        const started = performance.now();
        await (which === 'ours' ? ours() : raw());
        samples[which].push(performance.now() - started);
      }
    }
    if (stack.failures.length) throw new Error(`the app logged failures: ${stack.failures.slice(0, 3).join(' | ')}`);
    const p = (list: number[], q: number) => percentile(list, q);
    const p50 = ratio(p(samples.ours, 50), p(samples.raw, 50));
    const label = `free-busy, ${WINDOW_DAYS} days of ${size.events} events (${rowsRead} rows in the window, ${intervals} intervals)`;
    return {
      id: 'B8',
      title: 'free/busy',
      params: { ...size, window_days: WINDOW_DAYS },
      figures: {
        ours: { p50: p(samples.ours, 50), p99: p(samples.ours, 99) },
        raw: { p50: p(samples.raw, 50), p99: p(samples.raw, 99) },
        rows_in_window: rowsRead,
        intervals,
      },
      rows: [
        {
          metric: `${label}: p50`,
          ours: ms(p(samples.ours, 50)),
          reference: ms(p(samples.raw, 50)),
          ratio: times(p50),
          goal: `≤ ${GOAL}× raw`,
          met: p50 <= GOAL,
        },
        {
          metric: `${label}: p99`,
          ours: ms(p(samples.ours, 99)),
          reference: ms(p(samples.raw, 99)),
          ratio: times(ratio(p(samples.ours, 99), p(samples.raw, 99))),
          goal: '',
        },
      ],
      notes: [
        `Ours: GET through the local host over HTTP with a bearer token (JWT checked, Integrations read, a projection scan of the window with the busy statuses filtered at the table, merge). Raw: the TableClient range scan of the same window from the bench process, every column, with the same rules and merge in memory (checked equal before timing). ${size.requests} requests each, one at a time, interleaved.`,
      ],
    };
  } finally {
    await stack.stop();
  }
}
