import { z } from 'zod';
import { parseDateOnly } from './time.js';

// Graph's patternedRecurrence, validated and expanded into local calendar days. Days are counted
// from 1970-01-01 in the series' own zone; the caller turns a day plus the master's wall-clock
// start into an instant, so DST is respected.

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const INDEXES = ['first', 'second', 'third', 'fourth', 'last'] as const;
export type DayOfWeek = (typeof DAYS)[number];

const dateText = z.string().refine((s) => parseDateOnly(s) !== undefined, 'expected YYYY-MM-DD');

export const recurrenceSchema = z
  .object({
    pattern: z.object({
      type: z.enum(['daily', 'weekly', 'absoluteMonthly', 'relativeMonthly', 'absoluteYearly', 'relativeYearly']),
      interval: z.number().int().min(1).max(99).default(1),
      month: z.number().int().min(0).max(12).default(0),
      dayOfMonth: z.number().int().min(0).max(31).default(0),
      daysOfWeek: z.array(z.enum(DAYS)).default([]),
      firstDayOfWeek: z.enum(DAYS).default('sunday'),
      index: z.enum(INDEXES).default('first'),
    }),
    range: z.object({
      type: z.enum(['endDate', 'noEnd', 'numbered']),
      startDate: dateText,
      endDate: z.string().default('0001-01-01'),
      recurrenceTimeZone: z.string().default(''),
      numberOfOccurrences: z.number().int().min(0).max(999).default(0),
    }),
  })
  .superRefine((r, ctx) => {
    const p = r.pattern;
    if ((p.type === 'weekly' || p.type.startsWith('relative')) && p.daysOfWeek.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'daysOfWeek is required for this pattern',
        path: ['pattern', 'daysOfWeek'],
      });
    }
    if (p.type.startsWith('absolute') && p.dayOfMonth === 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'dayOfMonth is required for this pattern',
        path: ['pattern', 'dayOfMonth'],
      });
    }
    if (p.type.endsWith('Yearly') && p.month === 0) {
      ctx.addIssue({ code: 'custom', message: 'month is required for this pattern', path: ['pattern', 'month'] });
    }
    if (r.range.type === 'endDate' && parseDateOnly(r.range.endDate) === undefined) {
      ctx.addIssue({ code: 'custom', message: 'endDate is required for an endDate range', path: ['range', 'endDate'] });
    }
    if (r.range.type === 'numbered' && r.range.numberOfOccurrences < 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'numberOfOccurrences must be at least 1',
        path: ['range', 'numberOfOccurrences'],
      });
    }
  });

export type Recurrence = z.infer<typeof recurrenceSchema>;

export const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;
const dayOfWeekIndex = (d: DayOfWeek): number => DAYS.indexOf(d);

function monthStartDay(monthIndex: number): number {
  return Math.floor(Date.UTC(Math.floor(monthIndex / 12), monthIndex % 12, 1) / 86_400_000);
}
const daysInMonth = (monthIndex: number): number => monthStartDay(monthIndex + 1) - monthStartDay(monthIndex);
function monthIndexOf(day: number): number {
  const d = new Date(day * 86_400_000);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

function relativeDay(monthIndex: number, days: DayOfWeek[], index: (typeof INDEXES)[number]): number | undefined {
  const wanted = new Set(days.map(dayOfWeekIndex));
  const first = monthStartDay(monthIndex);
  const matches: number[] = [];
  for (let d = first; d < first + daysInMonth(monthIndex); d++) if (wanted.has(weekday(d))) matches.push(d);
  return index === 'last' ? matches[matches.length - 1] : matches[INDEXES.indexOf(index)];
}

/** Candidate days in ascending order, starting at or a little before `fromDay` (or at the series start). */
function* candidates(r: Recurrence, start: number, fromDay: number, fastForward: boolean): Generator<number> {
  const p = r.pattern;
  const step = p.interval;
  switch (p.type) {
    case 'daily': {
      const k = fastForward ? Math.max(0, Math.floor((fromDay - start) / step)) : 0;
      for (let d = start + k * step; ; d += step) yield d;
    }
    case 'weekly': {
      const fdow = dayOfWeekIndex(p.firstDayOfWeek);
      const weekStart = (d: number): number => d - ((weekday(d) - fdow + 7) % 7);
      const offsets = [...new Set(p.daysOfWeek.map((d) => (dayOfWeekIndex(d) - fdow + 7) % 7))].sort((a, b) => a - b);
      const w0 = weekStart(start);
      const k = fastForward ? Math.max(0, Math.floor((weekStart(fromDay) - w0) / 7 / step)) : 0;
      for (let w = w0 + k * 7 * step; ; w += 7 * step) for (const o of offsets) yield w + o;
    }
    case 'absoluteMonthly':
    case 'relativeMonthly':
    case 'absoluteYearly':
    case 'relativeYearly': {
      const yearly = p.type.endsWith('Yearly');
      const m0 = yearly ? Math.floor(monthIndexOf(start) / 12) * 12 + (p.month - 1) : monthIndexOf(start);
      const stride = yearly ? 12 * step : step;
      const k = fastForward ? Math.max(0, Math.floor((monthIndexOf(fromDay) - m0) / stride) - 1) : 0;
      for (let m = m0 + k * stride; ; m += stride) {
        const day = p.type.startsWith('absolute')
          ? monthStartDay(m) + Math.min(p.dayOfMonth, daysInMonth(m)) - 1
          : relativeDay(m, p.daysOfWeek, p.index);
        if (day !== undefined) yield day;
      }
    }
  }
}

/** Occurrence days of the series that fall in [fromDay, toDay], honouring the range. */
export function expandDays(r: Recurrence, fromDay: number, toDay: number): number[] {
  const start = parseDateOnly(r.range.startDate);
  if (start === undefined) return [];
  const endDay = r.range.type === 'endDate' ? (parseDateOnly(r.range.endDate) ?? start) : Number.POSITIVE_INFINITY;
  const maxCount = r.range.type === 'numbered' ? r.range.numberOfOccurrences : Number.POSITIVE_INFINITY;
  const last = Math.min(toDay, endDay);
  // A numbered range is counted from its first occurrence, so it cannot skip ahead.
  const fastForward = r.range.type !== 'numbered';
  const out: number[] = [];
  let count = 0;
  let guard = 0;
  for (const day of candidates(r, start, fromDay, fastForward)) {
    if (++guard > 200_000 || day > last || count >= maxCount) break;
    if (day < start) continue;
    count++;
    if (day >= fromDay) out.push(day);
  }
  return out;
}
