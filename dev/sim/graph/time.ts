// Time zones and Graph's date-time formats. Graph speaks Windows zone names ("Pacific Standard
// Time") and also accepts IANA names; Intl does the offset arithmetic so DST is handled.

export const DAY_MS = 86_400_000;

const WINDOWS_TO_IANA: Record<string, string> = {
  utc: 'UTC',
  'pacific standard time': 'America/Los_Angeles',
  'mountain standard time': 'America/Denver',
  'central standard time': 'America/Chicago',
  'eastern standard time': 'America/New_York',
  'hawaiian standard time': 'Pacific/Honolulu',
  'e. south america standard time': 'America/Sao_Paulo',
  'gmt standard time': 'Europe/London',
  'greenwich standard time': 'Atlantic/Reykjavik',
  'w. europe standard time': 'Europe/Berlin',
  'romance standard time': 'Europe/Paris',
  'central europe standard time': 'Europe/Budapest',
  'india standard time': 'Asia/Kolkata',
  'china standard time': 'Asia/Shanghai',
  'tokyo standard time': 'Asia/Tokyo',
  'aus eastern standard time': 'Australia/Sydney',
  'new zealand standard time': 'Pacific/Auckland',
};

/** A zone as Graph names it in responses, plus the IANA zone used for arithmetic. */
export interface Zone {
  name: string;
  iana: string;
}

export const UTC_ZONE: Zone = { name: 'UTC', iana: 'UTC' };

/** Resolves a Windows or IANA zone name; undefined when unknown. */
export function resolveZone(name: string): Zone | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return undefined;
  const mapped = WINDOWS_TO_IANA[trimmed.toLowerCase()];
  if (mapped) return { name: trimmed, iana: mapped };
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: trimmed });
    return { name: trimmed, iana: trimmed };
  } catch {
    return undefined;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(iana: string): Intl.DateTimeFormat {
  let f = formatters.get(iana);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: iana,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(iana, f);
  }
  return f;
}

/** Offset of the zone from UTC at an instant, in ms (local = utc + offset). */
export function offsetMs(iana: string, utcMs: number): number {
  if (iana === 'UTC') return 0;
  const parts: Record<string, number> = {};
  for (const p of formatterFor(iana).formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** Wall-clock time (expressed as if it were UTC) → the instant, resolving DST by re-checking. */
export function localToUtc(iana: string, wallMs: number): number {
  const first = offsetMs(iana, wallMs);
  const guess = wallMs - first;
  const second = offsetMs(iana, guess);
  return second === first ? guess : wallMs - second;
}

export const utcToLocal = (iana: string, utcMs: number): number => utcMs + offsetMs(iana, utcMs);

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function isoParts(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Graph's dateTimeTimeZone.dateTime: wall time with 7 fractional digits, no offset. */
export const wallDateTime = (wallMs: number): string =>
  `${isoParts(wallMs)}.${pad(new Date(wallMs).getUTCMilliseconds(), 3)}0000`;

/** createdDateTime / lastModifiedDateTime style: 7 fractional digits and Z. */
export const instant7 = (ms: number): string => `${wallDateTime(ms)}Z`;

/** receivedDateTime / sentDateTime style: whole seconds and Z. */
export const instantZ = (ms: number): string => `${isoParts(ms)}Z`;

/** innerError.date style: whole seconds, no zone designator. */
export const errorDate = (ms: number): string => isoParts(ms);

export const dayNumber = (utcMidnightMs: number): number => Math.floor(utcMidnightMs / DAY_MS);
export const dateOnly = (day: number): string => isoParts(day * DAY_MS).slice(0, 10);

/** Parses "YYYY-MM-DD" into a day number; undefined when malformed. */
export function parseDateOnly(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return dateOnly(dayNumber(ms)) === text ? dayNumber(ms) : undefined;
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?$/;

/** Parses a wall-clock date-time without offset ("2024-01-01T09:00:00.0000000") into wall ms. */
export function parseWallDateTime(text: string): number | undefined {
  const m = LOCAL_RE.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const frac = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s, frac);
  const back = new Date(ms);
  if (
    back.getUTCFullYear() !== y ||
    back.getUTCMonth() !== mo - 1 ||
    back.getUTCDate() !== d ||
    h > 23 ||
    mi > 59 ||
    s > 59
  )
    return undefined;
  return ms;
}

/**
 * Parses a query-string instant: ISO 8601 with Z or an offset; without one it is UTC (as Graph
 * reads calendarView bounds). A "+" that a client left unencoded arrives as a space.
 */
export function parseInstant(text: string): number | undefined {
  const t = text.trim().replace(/ (\d{2}:?\d{2})$/, '+$1');
  const m = /^(.*?)(Z|[+-]\d{2}:?\d{2})?$/i.exec(t);
  if (!m || m[1] === undefined) return undefined;
  const wall = parseWallDateTime(m[1]);
  if (wall === undefined) return undefined;
  const zone = m[2];
  if (!zone || zone.toUpperCase() === 'Z') return wall;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const off = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  return wall - off;
}
