import { z } from 'zod';
import { providers, providerSchema, type Provider, type Stream } from '../providers.js';

// Query-string building blocks shared by the two query endpoints (API.md "Conventions", "Queries").
// Every value arrives as a string; each schema says in its message what it accepts.

export const DAY_MS = 24 * 3600 * 1000;
export const MAX_LIMIT = 500;
export const DEFAULT_LIMIT = 100;
// Row keys hold instants as ISO strings and inverted 13-digit milliseconds; outside this range
// either encoding stops sorting correctly, and no mailbox or calendar holds such dates anyway.
export const MIN_INSTANT_MS = Date.UTC(1970, 0, 1);
export const MAX_INSTANT_MS = Date.UTC(2200, 0, 1);

const withSeconds = z.iso.datetime({ offset: true });
const minutesOnly = z.iso.datetime({ offset: true, precision: -1 });
const INSTANT_MESSAGE = 'must be an ISO 8601 date-time with an offset (Z or ±hh:mm), e.g. 2024-01-31T23:59:59Z';

/** An ISO 8601 instant with an offset (a date-time without one is refused), as epoch milliseconds. */
export const instantParam = z
  .string()
  .max(64, INSTANT_MESSAGE)
  .refine((s) => withSeconds.safeParse(s).success || minutesOnly.safeParse(s).success, INSTANT_MESSAGE)
  .transform((s) => Date.parse(s))
  .refine((ms) => ms >= MIN_INSTANT_MS && ms < MAX_INSTANT_MS, 'must be between 1970-01-01 and 2200-01-01');

const LIMIT_MESSAGE = `must be a whole number from 1 to ${MAX_LIMIT}`;
export const limitParam = z
  .string()
  .regex(/^\d{1,3}$/, LIMIT_MESSAGE)
  .transform(Number)
  .pipe(z.number().int().min(1, LIMIT_MESSAGE).max(MAX_LIMIT, LIMIT_MESSAGE))
  .default(DEFAULT_LIMIT);

export const cursorParam = z.string().min(1, 'must not be empty').max(2048, 'is not a cursor this API issued');

/** Checked for format only here: whether it is one of the caller's integrations is a 404 later. */
export const integrationIdParam = z.string().min(1, 'must not be empty').max(100, 'is not an integration id');

/** The providers whose integrations hold a stream (calendar events, mail). */
export const providersWith = (stream: Stream): Provider[] =>
  providerSchema.options.filter((p) => providers[p].streams.includes(stream));

/**
 * `provider` is optional: an endpoint serves one kind of item, so its default is every provider
 * that has it. Given, it must be a known provider that has that kind of item (400 otherwise).
 */
export function providerParam(stream: Stream) {
  const allowed = providersWith(stream);
  return providerSchema
    .refine(
      (p) => allowed.includes(p),
      `has no ${stream === 'calendar' ? 'calendar events' : 'email messages'}; use ${allowed.join(' or ')}`,
    )
    .optional();
}

/**
 * Zod skips an object's refinements once a field has failed its type (a bad enum value); these
 * run anyway so that one answer names every bad field. They must not trust the field types.
 */
export const always = { when: () => true };

/**
 * A strict query-string object: an unknown parameter is a 400 naming it. Zod's own strict mode
 * reports unknown keys at the root; this names each one as its own field, alongside other errors.
 */
export function strictQuery<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = new Set(Object.keys(shape));
  return z
    .object(shape)
    .loose()
    .superRefine((value, ctx) => {
      for (const key of Object.keys(value)) {
        if (!known.has(key))
          ctx.addIssue({
            code: 'custom',
            path: [key.slice(0, 100)],
            message: `is not a parameter of this endpoint (known: ${[...known].join(', ')})`,
          });
      }
    }, always);
}

/** A parsed number, or undefined while its own field is still invalid (refinements run regardless). */
export const numberOrUndefined = (value: unknown): number | undefined =>
  typeof value === 'number' ? value : undefined;
