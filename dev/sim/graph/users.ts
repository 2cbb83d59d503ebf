import { z } from 'zod';
import type { CreateUserInput } from '../contract.js';
import { createRng, guidOf, seedOf, SIM_TENANT_ID } from './ids.js';
import { seedCalendar } from './seed-calendar.js';
import { seedMailbox } from './seed-mailbox.js';
import { emptyCalendar, emptyMail, type UserState } from './store.js';

/** zod schema for CreateUserInput (for the /_sim controls), with the limits the simulator accepts. */
export const createUserInputSchema = z.object({
  email: z.email().max(320),
  display_name: z.string().min(1).max(256).optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
  calendar: z
    .object({
      events: z.number().int().min(0).max(100_000).optional(),
      recurring_series: z.number().int().min(0).max(1_000).optional(),
      all_day: z.number().int().min(0).max(10_000).optional(),
      max_attendees: z.number().int().min(0).max(100).optional(),
      body_bytes: z.number().int().min(0).max(1_000_000).optional(),
    })
    .optional(),
  mailbox: z
    .object({
      messages: z.number().int().min(0).max(200_000).optional(),
      unread_share: z.number().min(0).max(1).optional(),
      folders: z.array(z.string().min(1).max(128)).max(50).optional(),
    })
    .optional(),
});

const changeCount = z.number().int().min(0).max(100_000).optional();
/** zod schema for ChangesInput (for the /_sim controls). */
export const changesInputSchema = z.object({
  calendar: z.object({ add: changeCount, update: changeCount, delete: changeCount, move_out: changeCount }).optional(),
  mailbox: z.object({ add: changeCount, update: changeCount, delete: changeCount, mark_read: changeCount }).optional(),
});

/** "adele.vance@contoso.com" → "Adele Vance". */
function nameFromEmail(email: string): string {
  const local = email.split('@')[0] ?? email;
  return (
    local
      .split(/[._-]+/)
      .filter(Boolean)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(' ') || email
  );
}

export function createUserState(input: CreateUserInput, serviceSeed: number, nowMs: number): UserState {
  const email = input.email.trim();
  const key = email.toLowerCase();
  const displayName = input.display_name ?? nameFromEmail(email);
  const [givenName = displayName, ...rest] = displayName.split(' ');
  const seed = seedOf(serviceSeed, input.seed ?? 0, key);
  const state: UserState = {
    user: { id: guidOf('user', serviceSeed, key), email, displayName, tenantId: SIM_TENANT_ID },
    givenName,
    surname: rest.join(' '),
    seed,
    calendar: emptyCalendar(),
    mail: emptyMail(),
    changeRng: createRng(seedOf(seed, 'changes')),
  };
  seedCalendar(state, input.calendar, nowMs);
  seedMailbox(state, input.mailbox, nowMs);
  return state;
}
