import { z } from 'zod';

// Lenient schemas of what Graph sends: unknown fields pass, optional ones may be absent or null
// (occurrences in a delta carry fewer properties than their series master). Anything the app
// relies on is checked; a page that fails here is a Graph contract break, not a crash.

const nullish = <S extends z.ZodType>(s: S) => s.nullish().transform((v) => v ?? undefined);
const dateTimeTimeZone = z.object({ dateTime: z.string(), timeZone: nullish(z.string()) });
const emailAddress = z.object({ name: nullish(z.string()), address: nullish(z.string()) });
const recipient = z.object({ emailAddress: nullish(emailAddress) });

export const graphEventSchema = z.looseObject({
  id: z.string().min(1),
  changeKey: nullish(z.string()),
  subject: nullish(z.string()),
  body: nullish(z.object({ contentType: nullish(z.string()), content: nullish(z.string()) })),
  bodyPreview: nullish(z.string()),
  start: nullish(dateTimeTimeZone),
  end: nullish(dateTimeTimeZone),
  isAllDay: nullish(z.boolean()),
  isCancelled: nullish(z.boolean()),
  originalStartTimeZone: nullish(z.string()),
  location: nullish(z.object({ displayName: nullish(z.string()) })),
  attendees: nullish(
    z.array(
      z.object({
        type: nullish(z.string()),
        status: nullish(z.object({ response: nullish(z.string()) })),
        emailAddress: nullish(emailAddress),
      }),
    ),
  ),
  organizer: nullish(recipient),
  type: nullish(z.string()),
  seriesMasterId: nullish(z.string()),
  webLink: nullish(z.string()),
  createdDateTime: nullish(z.string()),
  lastModifiedDateTime: nullish(z.string()),
});
export type GraphEvent = z.infer<typeof graphEventSchema>;

export const graphMessageSchema = z.looseObject({
  id: z.string().min(1),
  changeKey: nullish(z.string()),
  subject: nullish(z.string()),
  bodyPreview: nullish(z.string()),
  from: nullish(recipient),
  sender: nullish(recipient),
  toRecipients: nullish(z.array(recipient)),
  ccRecipients: nullish(z.array(recipient)),
  receivedDateTime: nullish(z.string()),
  // The docs' own delta example sends isRead as a string ("true"); accept both spellings.
  isRead: nullish(z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')])),
  importance: nullish(z.string()),
  hasAttachments: nullish(z.boolean()),
  conversationId: nullish(z.string()),
  webLink: nullish(z.string()),
  parentFolderId: nullish(z.string()),
});
export type GraphMessage = z.infer<typeof graphMessageSchema>;

const removedSchema = z.object({ id: z.string().min(1), '@removed': z.object({ reason: nullish(z.string()) }) });

export const deltaPageSchema = z.object({
  value: z.array(z.unknown()),
  '@odata.nextLink': nullish(z.url()),
  '@odata.deltaLink': nullish(z.url()),
});

export type DeltaEntry<T> = { kind: 'upsert'; item: T } | { kind: 'remove'; id: string };

/** Parses a delta page into upserts and removals; entries that fail their schema are reported, not thrown. */
export function parseDeltaPage<T>(body: unknown, itemSchema: z.ZodType<T>) {
  const page = deltaPageSchema.parse(body);
  const entries: DeltaEntry<T>[] = [];
  let rejected = 0;
  for (const raw of page.value) {
    const removed = removedSchema.safeParse(raw);
    if (removed.success) {
      entries.push({ kind: 'remove', id: removed.data.id });
      continue;
    }
    const item = itemSchema.safeParse(raw);
    if (item.success) entries.push({ kind: 'upsert', item: item.data });
    else rejected++;
  }
  return { entries, nextLink: page['@odata.nextLink'], deltaLink: page['@odata.deltaLink'], rejected };
}
