import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUSY_STATUSES, mergeBusy, type BusyInterval } from '../../shared/query/busy-intervals.js';
import { useSeed } from '../support/seed.js';

useSeed('test/unit/busy-intervals.test.ts');

// The merge against a brute force over unit steps: each step's status is the strongest of the
// intervals covering it; the answer is the runs of equal status.
function bruteForce(intervals: BusyInterval[], window: { startMs: number; endMs: number }): BusyInterval[] {
  const out: BusyInterval[] = [];
  for (let t = window.startMs; t < window.endMs; t++) {
    let best = -1;
    for (const i of intervals)
      if (i.startMs <= t && t < i.endMs) best = Math.max(best, BUSY_STATUSES.indexOf(i.status));
    const status = BUSY_STATUSES[best];
    const last = out.at(-1);
    if (!status) continue;
    if (last && last.endMs === t && last.status === status) last.endMs = t + 1;
    else out.push({ startMs: t, endMs: t + 1, status });
  }
  return out;
}

const interval = fc
  .record({ startMs: fc.integer({ min: -5, max: 60 }), length: fc.integer({ min: 0, max: 25 }) })
  .chain(({ startMs, length }) =>
    fc.constantFrom(...BUSY_STATUSES).map((status) => ({ startMs, endMs: startMs + length, status })),
  );

describe('mergeBusy', () => {
  it('equals a brute force over unit steps for random intervals and windows', () => {
    fc.assert(
      fc.property(
        fc.array(interval, { maxLength: 25 }),
        fc.integer({ min: -3, max: 40 }),
        fc.integer({ min: 1, max: 50 }),
        (intervals, start, span) => {
          const window = { startMs: start, endMs: start + span };
          expect(mergeBusy(intervals, window)).toEqual(bruteForce(intervals, window));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps the strongest status where intervals overlap and joins touching ones', () => {
    const window = { startMs: 0, endMs: 100 };
    expect(
      mergeBusy(
        [
          { startMs: 10, endMs: 50, status: 'tentative' },
          { startMs: 20, endMs: 30, status: 'oof' },
          { startMs: 25, endMs: 40, status: 'busy' },
          { startMs: 50, endMs: 60, status: 'tentative' },
          { startMs: 70, endMs: 70, status: 'oof' },
          { startMs: 90, endMs: 200, status: 'workingElsewhere' },
        ],
        window,
      ),
    ).toEqual([
      { startMs: 10, endMs: 20, status: 'tentative' },
      { startMs: 20, endMs: 30, status: 'oof' },
      { startMs: 30, endMs: 40, status: 'busy' },
      { startMs: 40, endMs: 60, status: 'tentative' },
      { startMs: 90, endMs: 100, status: 'workingElsewhere' },
    ]);
  });
});
