import { z } from 'zod';
import { extraCalendarSchema, mailboxSettingsInputSchema } from '../graph/users.js';

const count = (max: number) => z.number().int().min(0).max(max);

/** `POST /_sim/users` — mirrors CreateUserInput in contract.ts. */
export const createUserSchema = z
  .object({
    email: z.email().max(254),
    display_name: z.string().trim().min(1).max(200).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .optional(),
    calendar: z
      .object({
        events: count(100_000).optional(),
        recurring_series: count(10_000).optional(),
        all_day: count(100_000).optional(),
        max_attendees: count(500).optional(),
        body_bytes: count(1_000_000).optional(),
      })
      .strict()
      .optional(),
    calendars: z.array(extraCalendarSchema).max(20).optional(),
    mailbox_settings: mailboxSettingsInputSchema.optional(),
    mailbox: z
      .object({
        messages: count(200_000).optional(),
        unread_share: z.number().min(0).max(1).optional(),
        folders: z
          .array(z.string().regex(/^[A-Za-z0-9 _-]{1,100}$/))
          .max(50)
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** `POST /_sim/users/{email}/changes` — mirrors ChangesInput in contract.ts. */
export const changesSchema = z
  .object({
    calendar: z
      .object({
        add: count(10_000).optional(),
        update: count(10_000).optional(),
        delete: count(10_000).optional(),
        move_out: count(10_000).optional(),
      })
      .strict()
      .optional(),
    mailbox: z
      .object({
        add: count(10_000).optional(),
        update: count(10_000).optional(),
        delete: count(10_000).optional(),
        mark_read: count(10_000).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const TEN_YEARS_S = 10 * 365 * 24 * 3600;

/** `POST /_sim/caller-token`: times in seconds from now; a negative `expires_in` mints an expired token. */
export const callerTokenSchema = z
  .object({
    email: z.email(),
    audience: z.string().trim().min(1).max(500).optional(),
    issuer: z.string().trim().min(1).max(500).optional(),
    expires_in: z.number().int().min(-TEN_YEARS_S).max(TEN_YEARS_S).optional(),
    not_before_in: z.number().int().min(-TEN_YEARS_S).max(TEN_YEARS_S).optional(),
  })
  .strict();

export const consentSchema = z
  .object({
    auto: z.boolean().optional(),
    next: z.enum(['accept', 'deny']).optional(),
    /** The next consent grants all asked-for Graph scopes but these (a user or tenant policy holding some back). */
    withhold_next: z.array(z.string().trim().min(1).max(200)).max(50).optional(),
  })
  .strict();

/** `POST /_sim/tokens`: lifetimes of what the token endpoint issues from now on (0 = already expired). */
export const tokenLifetimesSchema = z
  .object({
    access_token_ttl_s: count(24 * 3600).optional(),
    refresh_token_ttl_s: count(TEN_YEARS_S).optional(),
    authorization_code_ttl_s: count(3600).optional(),
  })
  .strict();

export const calendarTruthQuerySchema = z
  .object({ start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) })
  .refine((q) => Date.parse(q.end) > Date.parse(q.start), { message: 'end must be after start', path: ['end'] });
