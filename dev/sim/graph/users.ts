import { z } from 'zod';
import type { CreateUserInput, MailboxSettingsInput } from '../contract.js';
import { createRng, guidOf, seedOf, SIM_TENANT_ID } from './ids.js';
import { addCalendar, defaultCalendarOf } from './calendars.js';
import { seedCalendar } from './seed-calendar.js';
import { seedMailbox } from './seed-mailbox.js';
import { TIME_ZONES } from './seed-text.js';
import { emptyCalendar, emptyMail, type MailboxSettingsData, type UserState } from './store.js';

const seedCount = (max: number) => z.number().int().min(0).max(max).optional();
/** An extra own calendar: its name, how many events, and whether it refuses delta. */
export const extraCalendarSchema = z.strictObject({
  name: z.string().min(1).max(256),
  hex_color: z
    .string()
    .regex(/^(#[0-9a-fA-F]{6})?$/)
    .optional(),
  refuse_delta: z.boolean().optional(),
  events: seedCount(100_000),
  recurring_series: seedCount(1_000),
  all_day: seedCount(10_000),
});
const hhmm = z.string().regex(/^\d\d:\d\d$/);
/** Mailbox settings as the control sets them (zone names as Outlook would store them: Windows or IANA). */
export const mailboxSettingsInputSchema = z.strictObject({
  time_zone: z.string().min(1).max(128).optional(),
  working_hours: z
    .strictObject({
      days: z
        .array(z.enum(['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']))
        .min(1)
        .max(7),
      start: hhmm,
      end: hhmm,
      time_zone: z.string().min(1).max(128),
    })
    .optional(),
});

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
  calendars: z.array(extraCalendarSchema).max(20).optional(),
  mailbox_settings: mailboxSettingsInputSchema.optional(),
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
    calendars: new Map(),
    calendarCounter: 0,
    sharedWithMe: [],
    mailboxSettings: defaultMailboxSettings(seed),
    mail: emptyMail(),
    changeRng: createRng(seedOf(seed, 'changes')),
  };
  const primary = defaultCalendarOf(state);
  state.calendars.set(primary.id, primary);
  seedCalendar(state, input.calendar, nowMs);
  for (const extra of input.calendars ?? []) {
    const { name, hex_color: hexColor, refuse_delta: refuseDelta, ...seedInput } = extra;
    addCalendar(state, { name, hexColor, refuseDelta, seed: seedInput }, nowMs);
  }
  if (input.mailbox_settings) setMailboxSettings(state, input.mailbox_settings);
  seedMailbox(state, input.mailbox, nowMs);
  return state;
}

/** Outlook keeps the zone the user picked, usually a Windows name; working hours Monday to Friday, 08–17. */
function defaultMailboxSettings(seed: number): MailboxSettingsData {
  const timeZone = TIME_ZONES[createRng(seedOf(seed, 'mailbox-settings')).int(0, TIME_ZONES.length - 1)] ?? 'UTC';
  const days = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];
  return { timeZone, workingHours: { daysOfWeek: days, startTime: '08:00', endTime: '17:00', timeZone } };
}

export function setMailboxSettings(user: UserState, input: MailboxSettingsInput): void {
  const s = user.mailboxSettings;
  if (input.time_zone !== undefined) s.timeZone = input.time_zone;
  const w = input.working_hours;
  if (w) s.workingHours = { daysOfWeek: [...w.days], startTime: w.start, endTime: w.end, timeZone: w.time_zone };
}
