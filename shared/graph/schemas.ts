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
  // Graph may add freeBusyStatus values; the mapper reads an unknown one as `unknown`.
  showAs: nullish(z.string()),
  isOnlineMeeting: nullish(z.boolean()),
  onlineMeeting: nullish(z.looseObject({ joinUrl: nullish(z.string()) })),
  onlineMeetingUrl: nullish(z.string()),
  categories: nullish(z.array(z.string())),
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
  categories: nullish(z.array(z.string())),
});
export type GraphMessage = z.infer<typeof graphMessageSchema>;

const removedSchema = z.object({ id: z.string().min(1), '@removed': z.object({ reason: nullish(z.string()) }) });

export const deltaPageSchema = z.object({
  value: z.array(z.unknown()),
  '@odata.nextLink': nullish(z.url()),
  '@odata.deltaLink': nullish(z.url()),
});

/** Graph's own host unless told otherwise (national clouds, the simulator: GRAPH_BASE_URL). */
const PUBLIC_GRAPH = 'https://graph.microsoft.com';

/**
 * Why a link from Graph (or from a stored checkpoint) must not be followed, or undefined when it may be:
 * it must start with GRAPH_BASE_URL's origin and `/v1.0/`, literally and once parsed (so no userinfo,
 * other port, `..` or a parser's disagreement), with no white space, control character or backslash.
 * The SDK's own host check is fooled by `https://graph.microsoft.com:443@evil.example/…`.
 */
export function graphLinkProblem(link: string, graphBaseUrl: string): string | undefined {
  const origin = new URL(graphBaseUrl).origin;
  // Characters URL parsers drop or read as `/`, where two parsers could see two different hosts.
  // eslint-disable-next-line no-control-regex -- rejecting control characters in a link is the point of this check
  if (/[\u0000-\u0020\u007f\\]/.test(link)) return 'has white space, a control character or a backslash';
  if (!link.startsWith(`${origin}/v1.0/`)) return "is not under Graph's origin and /v1.0/";
  let parsed: URL;
  try {
    parsed = new URL(link);
  } catch {
    return 'is not a URL';
  }
  if (parsed.username || parsed.password) return 'carries credentials';
  if (parsed.origin !== origin || !parsed.pathname.startsWith('/v1.0/')) {
    return "is not under Graph's origin and /v1.0/";
  }
  return undefined;
}

/** A delta page named a link that is not Graph's: it is never requested, stored or logged. */
export class UntrustedLinkError extends Error {
  constructor(
    readonly link: 'nextLink' | 'deltaLink',
    readonly problem: string,
  ) {
    super(`Graph's ${link} ${problem}; it is not followed`);
    this.name = 'UntrustedLinkError';
  }
}

export type DeltaEntry<T> = { kind: 'upsert'; item: T } | { kind: 'remove'; id: string };

/**
 * Parses a delta page into upserts and removals; entries that fail their schema are reported, not thrown.
 * A nextLink or deltaLink off GRAPH_BASE_URL (default: Microsoft's global Graph) throws UntrustedLinkError.
 */
export function parseDeltaPage<T>(body: unknown, itemSchema: z.ZodType<T>, graphBaseUrl = PUBLIC_GRAPH) {
  const page = deltaPageSchema.parse(body);
  for (const link of ['nextLink', 'deltaLink'] as const) {
    const url = page[`@odata.${link}`];
    const problem = url === undefined ? undefined : graphLinkProblem(url, graphBaseUrl);
    if (problem) throw new UntrustedLinkError(link, problem);
  }
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
