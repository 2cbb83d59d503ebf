import { userKeyOf } from '../lib/app.js';
import { runTask, type TaskResult } from '../lib/child.js';
import { fmt, ms, times, type Options, type ScenarioResult } from '../lib/report.js';
import { median, ratio } from '../lib/stats.js';
import { startStack } from '../../test/support/stack.js';
import { BENCH_SETTINGS } from '../env/settings.js';
import type { B2Input, B2Output } from './b2-tasks.js';

const GOAL = 1.3;

/**
 * B2: the first sync of one Microsoft account (a calendar integration of E events and a mail
 * integration of M messages, synced side by side) by our worker, against the raw pipeline over
 * the same pages. Each run is a fresh process on a fresh account: its time and peak RSS are its own.
 */
export async function runB2(options: Options): Promise<ScenarioResult> {
  const size = options.quick ? { events: 200, messages: 500, reps: 3 } : { events: 2000, messages: 5000, reps: 5 };
  const stack = await startStack({
    simulator: 'child-process',
    serve: 'http',
    hostJson: 'app',
    keepLogs: false,
    settings: BENCH_SETTINGS,
  });
  const ours: TaskResult<B2Output>[] = [];
  const raw: TaskResult<B2Output>[] = [];
  try {
    for (let rep = 0; rep < size.reps; rep++) {
      const email = `b2-${rep}@contoso.example`;
      await stack.sim.createUser({
        email,
        calendar: { events: size.events, recurring_series: 0, all_day: 0 },
        mailbox: { messages: size.messages, folders: [] },
      });
      const calendarId = await stack.connectedId(email, 'microsoft_calendar');
      const mailId = await stack.connectedId(email, 'microsoft_outlook');
      const input: B2Input = { userKey: await userKeyOf(stack.direct, calendarId), calendarId, mailId };
      // Interleaved, alternating who goes first, so drift on a noisy machine hits both alike.
      for (const which of rep % 2 === 0 ? ['ours', 'raw'] : ['raw', 'ours']) {
        const result = await runTask<B2Output>(`b2-${which}`, input);
        (which === 'ours' ? ours : raw).push(result);
      }
    }
  } finally {
    await stack.stop();
  }
  const items = ours[0]!.value.items;
  if ([...ours, ...raw].some((r) => r.value.items !== items))
    throw new Error('ours and the raw pipeline wrote different numbers of items');
  const oursMs = median(ours.map((r) => r.value.ms));
  const rawMs = median(raw.map((r) => r.value.ms));
  const timeRatio = ratio(oursMs, rawMs);
  const oursRss = median(ours.map((r) => r.peakRssMiB));
  const rawRss = median(raw.map((r) => r.peakRssMiB));
  return {
    id: 'B2',
    title: 'initial sync',
    params: { ...size, items },
    figures: {
      ours_ms: ours.map((r) => r.value.ms),
      raw_ms: raw.map((r) => r.value.ms),
      ours_median_ms: oursMs,
      raw_median_ms: rawMs,
      ours_items_per_s: (items / oursMs) * 1000,
      raw_items_per_s: (items / rawMs) * 1000,
      time_ratio: timeRatio,
      ours_peak_rss_mib: ours.map((r) => r.peakRssMiB),
      raw_peak_rss_mib: raw.map((r) => r.peakRssMiB),
    },
    rows: [
      {
        metric: `first sync of ${fmt(size.events, 0)} events + ${fmt(size.messages, 0)} messages: time (median of ${size.reps})`,
        ours: ms(oursMs),
        reference: ms(rawMs),
        ratio: times(timeRatio),
        goal: `≤ ${GOAL}× raw`,
        met: timeRatio <= GOAL,
      },
      {
        metric: 'items per second',
        ours: fmt((items / oursMs) * 1000, 0),
        reference: fmt((items / rawMs) * 1000, 0),
        ratio: times(ratio(rawMs, oursMs)),
        goal: '',
      },
      {
        metric: 'peak RSS of the process (median)',
        ours: `${oursRss} MiB`,
        reference: `${rawRss} MiB`,
        ratio: times(ratio(oursRss, rawRss)),
        goal: 'reported',
      },
    ],
    notes: [
      "Reference: the same delta URLs and Prefer headers fetched with plain fetch and one token, mapped by the app's mappers into the same item and pointer rows, written in batches of 100 per page; no Graph SDK, zod, checkpoints, lease, last_sync or sweep.",
    ],
  };
}
