import { expect } from 'vitest';
import { calendarWindow } from '../../shared/sync/calendar-stream.js';
import { mailCutoff } from '../../shared/sync/mail-stream.js';
import { calendarTruth, folderId, mailboxTruth } from '../support/sim-control.js';
import type { Stack } from '../support/stack.js';
import { byId, storedRows, truthEvent, truthMessage, waitFor } from '../support/truth.js';

/** The stored calendar equals the simulator's calendarView of the window: no item missing, none extra, none twice. */
export async function expectCalendarEqualsTruth(stack: Stack, email: string, integrationId: string): Promise<number> {
  const truth = (await calendarTruth(stack.sim, email, calendarWindow(new Date(), 30, 30))).map(truthEvent);
  const { items, pointers } = await storedRows(stack, 'CalendarEvents', integrationId);
  expect(items.length).toBe(byId(items).size);
  expect(pointers).toBe(items.length);
  expect(byId(items)).toEqual(byId(truth));
  return items.length;
}

/** The stored inbox equals the simulator's inbox of the last 30 days. */
export async function expectInboxEqualsTruth(stack: Stack, email: string, integrationId: string): Promise<number> {
  const cutoff = mailCutoff(new Date(), 30).getTime();
  const inbox = await folderId(stack.sim, email, 'inbox');
  const truth = (await mailboxTruth(stack.sim, email))
    .filter((m) => m.parentFolderId === inbox && Date.parse(m.receivedDateTime) >= cutoff)
    .map(truthMessage);
  const { items, pointers } = await storedRows(stack, 'EmailMessages', integrationId);
  expect(items.length).toBe(byId(items).size);
  expect(pointers).toBe(items.length);
  expect(byId(items)).toEqual(byId(truth));
  return items.length;
}

/** Waits until the integration's last sync succeeded after `after` (ISO); throws on a wait longer than `timeoutMs`. */
export function succeededAfter(stack: Stack, token: string, id: string, after: string, timeoutMs = 90_000) {
  return waitFor(
    async () => {
      const res = await stack.api('GET', `integrations/${id}`, { token });
      return res.body?.last_sync?.status === 'succeeded' && res.body.last_sync.finished_at > after
        ? res.body
        : undefined;
    },
    timeoutMs,
    250,
  );
}
