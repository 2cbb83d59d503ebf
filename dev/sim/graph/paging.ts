import { badRequest } from './errors.js';

// Keyset cursors for list endpoints: a page starts right after the last item of the previous
// one (by sort key, then id), so items added or removed meanwhile never shift the pages.

export function encodeCursor(values: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(token: string): Array<string | number> {
  try {
    const v: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number'))
      return v as Array<string | number>;
  } catch {
    // fall through
  }
  throw badRequest('The $skiptoken value is not valid.', 'ErrorInvalidUrlQuery');
}

/** Index of the first item for which `after(item)` is true; `after` must be monotonic. */
export function firstAfter<T>(items: readonly T[], after: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (after(items[mid] as T)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** `${root}${path}?k=v&...` with values percent-encoded (tokens are URL-safe already). */
export function linkOf(root: string, path: string, params: ReadonlyArray<[string, string]>): string {
  const q = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return q ? `${root}${path}?${q}` : `${root}${path}`;
}

export function parseSkip(value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^\d+$/.test(value)) throw badRequest(`Invalid value '${value}' for $skip query option found.`);
  return Number(value);
}
