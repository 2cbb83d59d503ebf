import { GraphError } from './errors.js';
import type { UserDirectory, UserState } from './store.js';

// Graph paths are case-insensitive, accept OData key syntax (`mailFolders('id')`) as well as
// path segments, and `users/{id or upn}` in place of `me`. Everything is reduced to plain
// segments starting with `me` for the caller.

export function splitPath(path: string): string[] {
  const segments: string[] = [];
  for (const raw of path.split('/')) {
    if (raw === '') continue;
    let seg = raw;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      // Already decoded by the front (a literal '%'): keep it as it is.
    }
    const key = /^([A-Za-z$][\w.]*)\((?:'(.*)'|([^)']*))\)$/.exec(seg);
    if (key) segments.push(key[1] ?? '', key[2] ?? key[3] ?? '');
    else segments.push(seg);
  }
  return segments;
}

/** Rewrites `users/{caller}` to `me`; another user's data is a 403, an unknown user a 404. */
export function resolveMe(segments: string[], caller: UserState, users: UserDirectory): string[] {
  if (segments[0]?.toLowerCase() !== 'users' || segments.length < 2) return segments;
  const who = segments[1] ?? '';
  const target = users.find(who);
  if (!target) {
    throw new GraphError(
      404,
      'Request_ResourceNotFound',
      `Resource '${who}' does not exist or one of its queried reference-property objects are not present.`,
    );
  }
  if (target.user.id !== caller.user.id)
    throw new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  return ['me', ...segments.slice(2)];
}
