import { z } from 'zod';
import { capText } from './field-table.js';

// Caps shared by the item tables. Scalar strings are cut silently (an over-long name or address is
// noise, not content); lists and bodies say when they were cut (`…_total`, `…_truncated`).

/** Graph ids, change keys and our item ids (Graph's are ~150 characters). */
export const ID_CAP = 1_024;
/** Titles, subjects, locations, previews. */
export const TITLE_CAP = 4_000;
/** Outlook web links (they carry the item id, URL-encoded). */
export const LINK_CAP = 2_048;
export const NAME_CAP = 256;
/** RFC 5321 allows 254; Graph accepts up to 320. */
export const EMAIL_CAP = 320;

export const personSchema = z.object({ name: z.string(), email: z.string() });
export type Person = z.infer<typeof personSchema>;
export const personResponse = z.strictObject({ name: z.string(), email: z.string() });

export const capPerson = <P extends Person>(p: P): P => ({
  ...p,
  name: capText(p.name, NAME_CAP),
  email: capText(p.email, EMAIL_CAP),
});
