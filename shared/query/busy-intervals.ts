/** The statuses free/busy reports, weakest first: where intervals overlap, the strongest is kept. */
export const BUSY_STATUSES = ['tentative', 'workingElsewhere', 'busy', 'oof'] as const;
export type BusyStatus = (typeof BUSY_STATUSES)[number];

export interface BusyInterval {
  startMs: number;
  endMs: number;
  status: BusyStatus;
}

const rank = (status: BusyStatus) => BUSY_STATUSES.indexOf(status);

/**
 * Merges intervals into ordered, non-overlapping ones, each with the strongest status covering it,
 * cut to the window [startMs, endMs). Touching intervals of one status become one; empty ones
 * (and those outside the window) are dropped. A sweep over the start and end points: O(n log n).
 */
export function mergeBusy(intervals: Iterable<BusyInterval>, window: { startMs: number; endMs: number }) {
  const points: { at: number; rank: number; delta: 1 | -1 }[] = [];
  for (const i of intervals) {
    const startMs = Math.max(i.startMs, window.startMs);
    const endMs = Math.min(i.endMs, window.endMs);
    if (endMs <= startMs) continue;
    points.push({ at: startMs, rank: rank(i.status), delta: 1 }, { at: endMs, rank: rank(i.status), delta: -1 });
  }
  points.sort((a, b) => a.at - b.at);
  const open = BUSY_STATUSES.map(() => 0);
  const strongest = () => {
    for (let r = open.length - 1; r >= 0; r--) if ((open[r] ?? 0) > 0) return r;
    return -1;
  };
  const out: BusyInterval[] = [];
  let openStatus: BusyStatus | undefined;
  let openStart = 0;
  let i = 0;
  while (i < points.length) {
    const at = points[i]!.at;
    // Every point at this instant first, so an interval ending where another starts leaves no gap.
    for (; i < points.length && points[i]!.at === at; i++) open[points[i]!.rank]! += points[i]!.delta;
    const r = strongest();
    const status = r < 0 ? undefined : BUSY_STATUSES[r];
    if (status === openStatus) continue;
    if (openStatus) out.push({ startMs: openStart, endMs: at, status: openStatus });
    openStatus = status;
    openStart = at;
  }
  return out;
}
