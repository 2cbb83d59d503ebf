const UTC_NAMES = new Set(['utc', 'etc/utc', 'gmt', 'etc/gmt', 'coordinated universal time', 'z']);

/**
 * A Graph dateTimeTimeZone as epoch ms. The sync asks Graph for UTC (`Prefer: outlook.timezone`),
 * so this is normally a plain parse; an IANA zone is converted through Intl; a Windows zone name
 * that Graph did not convert cannot be resolved here and yields undefined (the item is rejected).
 */
export function toEpochMs(dateTime: string, timeZone: string | undefined): number | undefined {
  const hasOffset = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(dateTime);
  const wall = Date.parse(hasOffset ? dateTime : `${dateTime.replace(/(\.\d{3})\d+$/, '$1')}Z`);
  if (!Number.isFinite(wall)) return undefined;
  if (hasOffset || !timeZone || UTC_NAMES.has(timeZone.toLowerCase())) return wall;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch {
    return undefined;
  }
  const offsetAt = (ms: number) => {
    const parts = format.formatToParts(new Date(ms));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return local - Math.floor(ms / 1000) * 1000;
  };
  // Two steps settle on the right offset also next to a daylight-saving change.
  return wall - offsetAt(wall - offsetAt(wall));
}
