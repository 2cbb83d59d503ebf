import { z } from 'zod';
import { foldCase } from '../items/search-text.js';

// The optional filters of the query endpoints (API.md "Queries", the extra query parameters):
// each value arrives as a string and is checked here; the messages say what is accepted.

export const MAX_SEARCH_CHARS = 200;
export const MAX_CALENDAR_IDS = 50;
const ID_CHARS = 1_024;

/** `true` or `false`, nothing else. */
export const booleanParam = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .transform((s) => s === 'true')
  .optional();

/** A case-insensitive search term, 1–200 characters counted in code points ("日本" is 2). */
export const searchParam = z
  .string()
  .refine((s) => [...s].length >= 1 && [...s].length <= MAX_SEARCH_CHARS, `must be 1 to ${MAX_SEARCH_CHARS} characters`)
  .optional();

const EMAIL_MESSAGE = 'must be an email address (name@domain), at most 320 characters';
/** An email address, compared without case (stored addresses are lower case). */
export const emailParam = z
  .string()
  .max(320, EMAIL_MESSAGE)
  .regex(/^[^\s@,;<>"]+@[^\s@,;<>"]+$/, EMAIL_MESSAGE)
  .transform((s) => s.toLowerCase())
  .optional();

/** An opaque id (folder, conversation, calendar): no control characters or spaces, at most 1,024 characters. */
const idValue = (what: string) =>
  z
    .string()
    .min(1, `must not be empty`)
    .max(ID_CHARS, `is not a ${what}`)
    // eslint-disable-next-line no-control-regex -- control characters are what this refuses
    .regex(/^[^\u0000-\u0020\u007f]+$/, `is not a ${what}`);

export const conversationIdParam = idValue('conversation id').optional();

const CALENDAR_IDS_MESSAGE = `must be 1 to ${MAX_CALENDAR_IDS} calendar ids, comma-separated`;
// eslint-disable-next-line no-control-regex -- control characters and spaces are what this refuses
const ID_SHAPE = /^[^\u0000-\u0020\u007f,]+$/;

/** One or more calendar ids, comma-separated; duplicates collapse and the order does not matter. */
export const calendarIdsParam = z
  .string()
  .transform((s, ctx) => {
    const ids = s.split(',');
    if (ids.length > MAX_CALENDAR_IDS || ids.some((id) => id.length > ID_CHARS || !ID_SHAPE.test(id))) {
      ctx.addIssue({ code: 'custom', message: CALENDAR_IDS_MESSAGE });
      return z.NEVER;
    }
    return [...new Set(ids)].sort();
  })
  .optional();

/**
 * Graph's well-known folder names (mailFolder, "well-known folder names"); Graph reads them
 * without case, so the filter does too. Anything else is a folder id, matched exactly.
 */
export const WELL_KNOWN_FOLDERS = [
  'archive',
  'clutter',
  'conflicts',
  'conversationhistory',
  'deleteditems',
  'drafts',
  'inbox',
  'junkemail',
  'localfailures',
  'msgfolderroot',
  'outbox',
  'recoverableitemsdeletions',
  'scheduled',
  'searchfolders',
  'sentitems',
  'serverfailures',
  'syncissues',
] as const;
const wellKnown = new Set<string>(WELL_KNOWN_FOLDERS);

/** A folder as it compares: a well-known name in lower case, an id as it is. */
export const folderKey = (folder: string) => (wellKnown.has(folder.toLowerCase()) ? folder.toLowerCase() : folder);

/** A synced folder's well-known name or id (the characters SYNC_MAIL_FOLDERS allows). */
export const folderParam = z
  .string()
  .regex(/^[A-Za-z0-9=_-]{1,200}$/, "must be a folder's well-known name (e.g. inbox) or its id")
  .transform(folderKey)
  .optional();

/** How a search term matches: folded as the stored search text is. */
export const searchTerm = (search: string | undefined) => (search === undefined ? undefined : foldCase(search));
