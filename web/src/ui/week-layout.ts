import type { CalendarEvent } from '../api/client';
import { addDays } from './format';

// Places a week's events on the grid: all-day ones in a row per day, timed ones as blocks clipped to
// each day they cover, side by side where they overlap.

export interface Block {
  event: CalendarEvent;
  day: number;
  /** Minutes from midnight, within the day. */
  from: number;
  to: number;
  column: number;
  columns: number;
}

export interface WeekLayout {
  allDay: { event: CalendarEvent; days: number[] }[];
  blocks: Block[];
  firstHour: number;
  lastHour: number;
}

const isAllDay = (e: CalendarEvent) => e.is_all_day;

export function layoutWeek(events: CalendarEvent[], weekStart: Date): WeekLayout {
  const days = [...Array(7).keys()].map((d) => [addDays(weekStart, d), addDays(weekStart, d + 1)] as const);
  const allDay: WeekLayout['allDay'] = [];
  const perDay: Omit<Block, 'column' | 'columns'>[][] = days.map(() => []);
  for (const event of events) {
    const start = new Date(event.start);
    const end = new Date(event.end);
    const covered = days.flatMap(([a, b], i) => (start < b && end > a ? [i] : []));
    if (covered.length === 0) continue;
    if (isAllDay(event)) {
      allDay.push({ event, days: covered });
      continue;
    }
    for (const i of covered) {
      const [a, b] = days[i] as readonly [Date, Date];
      const from = Math.max(start.getTime(), a.getTime());
      const to = Math.min(end.getTime(), b.getTime());
      perDay[i]!.push({
        event,
        day: i,
        from: (from - a.getTime()) / 60000,
        to: Math.max((to - a.getTime()) / 60000, (from - a.getTime()) / 60000 + 15),
      });
    }
  }
  const blocks = perDay.flatMap(columnsOf);
  const minutes = blocks.flatMap((b) => [b.from, b.to]);
  const firstHour = Math.min(8, ...blocks.map((b) => Math.floor(b.from / 60)));
  const lastHour = Math.max(18, ...minutes.map((m) => Math.ceil(m / 60)));
  return { allDay, blocks, firstHour, lastHour: Math.min(24, lastHour) };
}

// Greedy columns within each cluster of overlapping blocks; every block of a cluster shares its width.
function columnsOf(day: Omit<Block, 'column' | 'columns'>[]): Block[] {
  const sorted = [...day].sort((x, y) => x.from - y.from || y.to - x.to);
  const out: Block[] = [];
  let cluster: Block[] = [];
  let clusterEnd = -1;
  const close = () => {
    const columns = Math.max(1, ...cluster.map((b) => b.column + 1));
    for (const b of cluster) b.columns = columns;
    out.push(...cluster);
    cluster = [];
  };
  for (const b of sorted) {
    if (b.from >= clusterEnd && cluster.length) close();
    const ends: number[] = [];
    for (const c of cluster) ends[c.column] = Math.max(ends[c.column] ?? 0, c.to);
    let column = ends.findIndex((end) => end <= b.from);
    if (column === -1) column = ends.length;
    cluster.push({ ...b, column, columns: 1 });
    clusterEnd = Math.max(clusterEnd, b.to);
  }
  if (cluster.length) close();
  return out;
}
