/**
 * NCRONTAB as the Functions timer trigger reads it: six fields
 * `{second} {minute} {hour} {day} {month} {day-of-week}`, each `*`, a value, a range `a-b`, a step
 * (`*\/n`, `a-b/n`, `a/n`) or a comma list of those; months and days may be named (`Jan`, `Mon`).
 * Day-of-month and day-of-week must BOTH match (NCrontab's rule, unlike Vixie cron's "either").
 * Occurrences are computed in UTC.
 */
export interface CronSchedule {
  readonly expression: string;
  /** The first occurrence strictly after `after`, or null when the expression can never match again. */
  next(after: Date): Date | null;
}

export class CronSyntaxError extends Error {
  constructor(expression: string, reason: string) {
    super(`Invalid NCRONTAB expression "${expression}": ${reason}`);
    this.name = 'CronSyntaxError';
  }
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const FIELDS: readonly FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 0, max: 6, names: DAYS },
];
// Feb 29 on a given weekday recurs within 28 years; anything not found by then never occurs.
const SEARCH_YEARS = 29;

export function parseNcrontab(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 6) {
    throw new CronSyntaxError(
      expression,
      `expected 6 fields ({second} {minute} {hour} {day} {month} {day-of-week}), got ${parts.length}`,
    );
  }
  const [sec, min, hour, day, month, dow] = FIELDS.map((spec, i) => parseField(expression, parts[i] ?? '', spec));
  const sets = { sec: sec!, min: min!, hour: hour!, day: day!, month: month!, dow: dow! };
  const schedule: CronSchedule = { expression, next: (after) => nextOccurrence(sets, after) };
  if (schedule.next(new Date(Date.UTC(2000, 0, 1))) === null) {
    throw new CronSyntaxError(expression, 'it never matches a real date');
  }
  return schedule;
}

function parseField(expression: string, text: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const fail = (why: string): never => {
      throw new CronSyntaxError(expression, `${spec.name} field "${text}": ${why}`);
    };
    const [range = '', stepText, extra] = item.split('/');
    if (extra !== undefined) fail('more than one "/"');
    const step = stepText === undefined ? 1 : toInt(stepText);
    if (step === undefined || step < 1) fail(`step "${stepText}" is not a positive integer`);
    let lo: number;
    let hi: number;
    if (range === '*') {
      [lo, hi] = [spec.min, spec.max];
    } else {
      const [a = '', b, more] = range.split('-');
      if (more !== undefined) fail(`"${range}" is not a range`);
      lo = toValue(a, spec) ?? fail(`"${a}" is not a ${spec.name} (${spec.min}-${spec.max})`);
      // `a/n` runs from a to the field's end, as in NCrontab.
      hi =
        b !== undefined
          ? (toValue(b, spec) ?? fail(`"${b}" is not a ${spec.name} (${spec.min}-${spec.max})`))
          : stepText !== undefined
            ? spec.max
            : lo;
      if (hi < lo) fail(`range "${range}" runs backwards`);
    }
    for (let v = lo; v <= hi; v += step!) values.add(v);
  }
  return values;
}

function toInt(text: string): number | undefined {
  return /^\d{1,4}$/.test(text) ? Number(text) : undefined;
}

// The three-letter abbreviation or the full English name, any case; position in the list is the value.
const FULL_NAMES: Record<string, string> = {
  jan: 'january',
  feb: 'february',
  mar: 'march',
  apr: 'april',
  may: 'may',
  jun: 'june',
  jul: 'july',
  aug: 'august',
  sep: 'september',
  oct: 'october',
  nov: 'november',
  dec: 'december',
  sun: 'sunday',
  mon: 'monday',
  tue: 'tuesday',
  wed: 'wednesday',
  thu: 'thursday',
  fri: 'friday',
  sat: 'saturday',
};

function toValue(text: string, spec: FieldSpec): number | undefined {
  const lower = text.toLowerCase();
  const named = spec.names?.findIndex((abbr) => lower === abbr || lower === FULL_NAMES[abbr]) ?? -1;
  const value = named >= 0 ? named + spec.min : toInt(text);
  return value !== undefined && value >= spec.min && value <= spec.max ? value : undefined;
}

type Sets = Record<'sec' | 'min' | 'hour' | 'day' | 'month' | 'dow', Set<number>>;

/** Walks forward from `after`, jumping a whole month/day/hour/minute whenever that unit cannot match. */
function nextOccurrence(s: Sets, after: Date): Date | null {
  const t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
  const limit = Date.UTC(t.getUTCFullYear() + SEARCH_YEARS, 0, 1);
  while (t.getTime() < limit) {
    if (!s.month.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!s.day.has(t.getUTCDate()) || !s.dow.has(t.getUTCDay())) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!s.hour.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
    } else if (!s.min.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
    } else if (!s.sec.has(t.getUTCSeconds())) {
      t.setUTCSeconds(t.getUTCSeconds() + 1, 0);
    } else {
      return t;
    }
  }
  return null;
}
