import { runTask } from '../lib/child.js';
import { fmt, ms, type Options, type ScenarioResult } from '../lib/report.js';
import type { QueryWorld } from './b3-queries.js';
import type { LoadOutput } from './l1-client.js';

/** Longer than any answer took in our runs, so every request ends in an answer or a real error. */
const CLIENT_TIMEOUT_S = 120;
/** autocannon's own default timeout: answers slower than this are counted too. */
const SLOW_MS = 10_000;

/**
 * L1: autocannon against the local host's query endpoints, from its own process. Every connection
 * cycles through the calendar window, a mail page and the mail search of B3's account.
 */
export async function runL1(w: QueryWorld, options: Options): Promise<ScenarioResult> {
  const load = options.quick ? { connections: 50, durationS: 5 } : { connections: 200, durationS: 30 };
  const paths = [w.eventsPath, '/api/integrations/email-messages?limit=100', w.searchPath];
  const { value: r, peakRssMiB } = await runTask<LoadOutput>('l1-load', {
    url: w.stack.host.url,
    token: w.token,
    paths,
    ...load,
    timeoutS: CLIENT_TIMEOUT_S,
    slowMs: SLOW_MS,
  });
  const failed = r.errors + r.non2xx;
  return {
    id: 'L1',
    title: 'load on the query endpoints',
    params: { ...load, paths, client_timeout_s: CLIENT_TIMEOUT_S, shortened: options.quick },
    figures: { ...r, failed, client_peak_rss_mib: peakRssMiB },
    rows: [
      {
        metric: `${load.connections} connections for ${load.durationS} s${options.quick ? ' (QUICK: shortened from 200 × 30 s)' : ''}: errors (socket errors, timeouts, non-2xx)`,
        ours: `${fmt(failed, 0)} of ${fmt(r.requests, 0)}`,
        reference: '',
        ratio: '',
        goal: '0',
        met: failed === 0,
      },
      {
        metric: 'latency p50 / p99',
        ours: `${ms(r.p50Ms)} / ${ms(r.p99Ms)}`,
        reference: '',
        ratio: '',
        goal: 'reported',
      },
      {
        metric: `answers slower than ${SLOW_MS / 1000} s (autocannon's default timeout)`,
        ours: fmt(r.slower, 0),
        reference: '',
        ratio: '',
        goal: '',
      },
      { metric: 'requests per second', ours: fmt(r.requestsPerS, 0), reference: '', ratio: '', goal: '' },
    ],
    notes: [
      `Client timeout ${CLIENT_TIMEOUT_S} s; errors = socket errors ${r.errors - r.timeouts}, timeouts ${r.timeouts}, non-2xx answers ${r.non2xx}. Requests cycle through: ${paths.join(' , ')}.`,
    ],
  };
}
