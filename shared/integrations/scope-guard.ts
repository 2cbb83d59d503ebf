import { AppError } from '../errors.js';
import type { Integration } from './model.js';

/**
 * The Graph scopes each kind of write needs, as alternatives: any one inner list, all of it granted,
 * lets the write through. The first alternative is what `required_scopes` names (least privilege).
 */
export const REQUIRED_SCOPES = {
  /** Create, change, cancel and answer events in the user's own calendars. */
  calendarWrite: [['Calendars.ReadWrite']],
  /** The same in a calendar shared with the user. */
  sharedCalendarWrite: [['Calendars.ReadWrite.Shared']],
  /** Mark read/unread, move, drafts (and so replies). */
  mailWrite: [['Mail.ReadWrite']],
  /** Send a message (a draft, then send: both scopes). */
  mailSend: [['Mail.ReadWrite', 'Mail.Send']],
} as const satisfies Record<string, readonly (readonly string[])[]>;

/** Whether the integration's granted scopes cover one of the alternatives (case-insensitive, as Microsoft compares). */
export function hasScopes(integration: Pick<Integration, 'scopes'>, anyOf: readonly (readonly string[])[]): boolean {
  const granted = new Set(
    integration.scopes.map((s) => s.replace(/^https:\/\/graph\.microsoft\.com\//i, '').toLowerCase()),
  );
  return anyOf.some((set) => set.every((s) => granted.has(s.toLowerCase())));
}

/**
 * Refuses, before any Graph request, an endpoint the integration's granted scopes do not allow:
 * 403 `insufficient_scope` with `required_scopes` (the SPA then connects again with
 * `access: "read_write"`).
 */
export function requireScopes(integration: Pick<Integration, 'scopes'>, anyOf: readonly (readonly string[])[]): void {
  if (hasScopes(integration, anyOf)) return;
  const required = [...(anyOf[0] ?? [])];
  throw new AppError(
    'insufficient_scope',
    `This needs the Microsoft permission${required.length === 1 ? '' : 's'} ${required.join(', ')}, ` +
      'which this connection was not granted: connect the account again with access "read_write".',
    undefined,
    undefined,
    { required_scopes: required },
  );
}
