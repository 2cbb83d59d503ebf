import type { Simulator } from '../../dev/sim/server.js';
import type { SimStats } from '../../dev/sim/stats.js';

/** An address as Graph JSON writes it. */
export interface GraphAddress {
  emailAddress: { name: string; address: string };
}

/** A calendar event of the simulator's ground truth, as Graph JSON (the fields the tests read, and more). */
export interface TruthEvent {
  id: string;
  subject?: string | null;
  body?: { contentType?: string; content?: string | null } | null;
  start: { dateTime: string; timeZone?: string };
  end: { dateTime: string; timeZone?: string };
  isAllDay?: boolean;
  isCancelled?: boolean;
  type?: string;
  seriesMasterId?: string | null;
  originalStartTimeZone?: string;
  location?: { displayName?: string | null } | null;
  organizer?: { emailAddress?: { name?: string; address?: string } | null } | null;
  attendees?: (GraphAddress & { type?: string; status?: { response?: string } | null })[] | null;
  webLink?: string;
  lastModifiedDateTime?: string;
  [field: string]: unknown;
}

/** A message of the simulator's ground truth, as Graph JSON (the fields the tests read, and more). */
export interface TruthMessage {
  id: string;
  subject?: string | null;
  bodyPreview?: string | null;
  from?: GraphAddress | null;
  sender?: GraphAddress | null;
  toRecipients?: GraphAddress[] | null;
  ccRecipients?: GraphAddress[] | null;
  receivedDateTime: string;
  isRead?: boolean | 'true' | 'false';
  importance?: string;
  hasAttachments?: boolean;
  conversationId?: string;
  webLink?: string;
  parentFolderId?: string;
  [field: string]: unknown;
}

/** Calls a /_sim control over HTTPS, as a developer or a test would. */
export async function simControl(sim: Simulator, method: 'GET', path: 'stats'): Promise<SimStats>;
export async function simControl(sim: Simulator, method: string, path: string, body?: unknown): Promise<unknown>;
export async function simControl(sim: Simulator, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${sim.baseUrl}/_sim/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`/_sim/${path} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export const tokenRequests = (sim: Simulator) =>
  Object.entries(sim.stats().by_path)
    .filter(([path]) => path.includes('/oauth2/v2.0/token'))
    .reduce((n, [, count]) => n + count, 0);

/** The simulator's ground truth as Graph JSON: the calendarView of a window, or the whole mailbox. */
export async function calendarTruth(
  sim: Simulator,
  email: string,
  window: { start: string; end: string },
): Promise<TruthEvent[]> {
  return (
    (await simControl(sim, 'GET', `users/${email}/calendar?start=${window.start}&end=${window.end}`)) as {
      value: TruthEvent[];
    }
  ).value;
}
export async function mailboxTruth(sim: Simulator, email: string): Promise<TruthMessage[]> {
  return ((await simControl(sim, 'GET', `users/${email}/mailbox`)) as { value: TruthMessage[] }).value;
}

/** The id of one of a user's mail folders (well-known name or display name), asked of Graph itself. */
export async function folderId(sim: Simulator, email: string, name: string): Promise<string> {
  const token = await sim.graphAccessToken(email, ['Mail.Read']);
  const res = await fetch(`${sim.graphBaseUrl}/v1.0/me/mailFolders/${name}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new Error(`mailFolders/${name} answered ${res.status}`);
  return ((await res.json()) as { id: string }).id;
}
