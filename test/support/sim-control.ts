import type { Simulator } from '../../dev/sim/server.js';

/** Calls a /_sim control over HTTPS, as a developer or a test would. */
export async function simControl(sim: Simulator, method: string, path: string, body?: unknown): Promise<any> {
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
  Object.entries(sim.stats().by_path).filter(([path]) => path.includes('/oauth2/v2.0/token')).reduce((n, [, count]) => n + count, 0);

/** The simulator's ground truth as Graph JSON: the calendarView of a window, or the whole mailbox. */
export async function calendarTruth(sim: Simulator, email: string, window: { start: string; end: string }): Promise<any[]> {
  return (await simControl(sim, 'GET', `users/${email}/calendar?start=${window.start}&end=${window.end}`)).value;
}
export async function mailboxTruth(sim: Simulator, email: string): Promise<any[]> {
  return (await simControl(sim, 'GET', `users/${email}/mailbox`)).value;
}

/** The id of one of a user's mail folders (well-known name or display name), asked of Graph itself. */
export async function folderId(sim: Simulator, email: string, name: string): Promise<string> {
  const token = await sim.graphAccessToken(email, ['Mail.Read']);
  const res = await fetch(`${sim.graphBaseUrl}/v1.0/me/mailFolders/${name}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`mailFolders/${name} answered ${res.status}`);
  return ((await res.json()) as { id: string }).id;
}
