// Dates in the browser's time zone (the API's instants are UTC).

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const day = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const formatTime = (d: Date) => time.format(d);
export const formatDay = (d: Date) => day.format(d);
export const formatDateTime = (iso: string | null | undefined) => (iso ? full.format(new Date(iso)) : '—');

/** "3 min ago", "in 2 h": how fresh a sync is. */
export function relative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const s = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(s);
  const [n, unit] = abs < 60 ? [abs, 's'] : abs < 3600 ? [Math.round(abs / 60), 'min'] : [Math.round(abs / 3600), 'h'];
  return s < 0 ? `${n} ${unit} ago` : `in ${n} ${unit}`;
}

/** Monday 00:00 local of the week holding `d`. */
export function startOfWeek(d: Date): Date {
  const start = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  start.setDate(start.getDate() - ((start.getDay() + 6) % 7));
  return start;
}

export function addDays(d: Date, n: number): Date {
  const next = new Date(d);
  next.setDate(next.getDate() + n);
  return next;
}

/** A short stable colour per key (integration or calendar), from a palette readable on white. */
const PALETTE = ['#2563eb', '#0f766e', '#7c3aed', '#c2410c', '#be185d', '#4d7c0f', '#0369a1', '#a16207'];
export function colourOf(key: string): string {
  let h = 0;
  for (const ch of key) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length] as string;
}
