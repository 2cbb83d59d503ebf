import { z } from 'zod';
import type { Provider } from '../providers.js';
import { ianaZoneOf } from '../time/zones.js';
import { categoriesField } from './categories.js';
import {
  api,
  capText,
  count,
  derived,
  fieldTable,
  fitList,
  flag,
  instantMs,
  isoInstant,
  json,
  oneOf,
  optionalText,
  since,
  text,
} from './field-table.js';
import { personResponse, personSchema, capPerson, ID_CAP, LINK_CAP, TITLE_CAP, type Person } from './people.js';
import { searchText } from './search-text.js';

/** Plain-text descriptions are cut here (`description_truncated` says so). */
export const MAX_DESCRIPTION_CHARS = 16_000;
/** The attendee list's JSON text is cut here, whole attendees at a time (`attendees_total`: how many there were). */
export const MAX_ATTENDEES_JSON_CHARS = 16_000;

const attendeeSchema = z.object({ name: z.string(), email: z.string(), type: z.string(), response: z.string() });
type Attendee = z.infer<typeof attendeeSchema>;
const capAttendee = (a: Attendee): Attendee => ({
  ...capPerson(a),
  type: capText(a.type, 32),
  response: capText(a.response, 32),
});
const fitAttendees = (list: Attendee[]) => fitList(list.map(capAttendee), MAX_ATTENDEES_JSON_CHARS);
const graphValues = (values: string) => z.string().meta({ description: `As Microsoft Graph reports it: ${values}.` });

/** Graph's freeBusyStatus values (`showAs`). */
export const SHOW_AS = ['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown'] as const;
export type ShowAs = (typeof SHOW_AS)[number];

/**
 * The calendar event's field table (API.md "Queries"): stored columns, their caps, and the API
 * fields. Column names are those of existing rows; the API adds `integration_id` and `provider`.
 */
export const eventFields = {
  id: text(ID_CAP, api('id', z.string())),
  externalId: text(ID_CAP, api('external_id', z.string().meta({ description: 'The Microsoft Graph id.' }))),
  changeKey: text(ID_CAP),
  title: text(TITLE_CAP, api('title', z.string())),
  description: text(
    MAX_DESCRIPTION_CHARS,
    api(
      'description',
      z.string().meta({ description: 'Plain text; cut at 16,000 characters (`description_truncated`).' }),
    ),
  ),
  descriptionTruncated: flag(api('description_truncated', z.boolean())),
  startMs: instantMs('start', 'start'),
  endMs: instantMs('end', 'end'),
  isAllDay: flag(api('is_all_day', z.boolean())),
  timeZone: text(128, api('time_zone', z.string())),
  // Mapped when read, so every row follows the zone data the app ships.
  timeZoneIana: derived(
    (columns: Record<string, unknown>): string | null =>
      ianaZoneOf(typeof columns.timeZone === 'string' ? columns.timeZone : null),
    api(
      'time_zone_iana',
      z
        .string()
        .nullable()
        .meta({ description: "The IANA name of `time_zone` (CLDR's mapping); null when it has none." }),
    ),
  ),
  location: text(TITLE_CAP, api('location', z.string())),
  attendees: json(
    z.array(attendeeSchema),
    MAX_ATTENDEES_JSON_CHARS,
    fitAttendees,
    api(
      'attendees',
      z.array(
        z.strictObject({
          name: z.string(),
          email: z.string(),
          type: graphValues('required, optional, resource'),
          response: graphValues('accepted, declined, tentativelyAccepted, none, notResponded, organizer'),
        }),
      ),
    ),
  ),
  attendeesTotal: count(api('attendees_total', z.number().int().nonnegative())),
  organizer: json(
    personSchema.nullable(),
    1_000,
    (p) => p && capPerson(p),
    api('organizer', personResponse.nullable()),
  ),
  isCancelled: flag(api('is_cancelled', z.boolean())),
  type: text(64, api('type', graphValues('singleInstance, occurrence, exception, seriesMaster'))),
  seriesMasterId: optionalText(ID_CAP, api('series_master_id', z.string().nullable())),
  webLink: text(LINK_CAP, api('web_link', z.string())),
  createdAt: isoInstant('created_at'),
  modifiedAt: isoInstant('modified_at'),
  // Rows stored before these fields read as Graph's "no information": a full sync rewrites them.
  showAs: since(oneOf(SHOW_AS, api('show_as', z.enum(SHOW_AS))), 'unknown'),
  isOnlineMeeting: since(flag(api('is_online_meeting', z.boolean())), false),
  onlineMeetingUrl: optionalText(
    LINK_CAP,
    api('online_meeting_url', z.string().nullable().meta({ description: 'The online meeting join URL, or null.' })),
  ),
  categories: categoriesField(),
};
export const eventTable = fieldTable(eventFields);

type SearchedFields = { title: string; location: string; description: string; organizer: Person | null };

/**
 * What `search` matches: title, location, organizer, attendees (names and addresses) and the
 * description, as stored (cut as their columns are), most important first.
 */
function eventSearchText(e: SearchedFields & { attendees: Attendee[] }): string {
  const organizer = e.organizer ? capPerson(e.organizer) : undefined;
  return searchText([
    capText(e.title, TITLE_CAP),
    capText(e.location, TITLE_CAP),
    organizer?.name ?? '',
    organizer?.email ?? '',
    ...fitAttendees(e.attendees).flatMap((a) => [a.name, a.email]),
    capText(e.description, MAX_DESCRIPTION_CHARS),
  ]);
}

/**
 * A stored event row: its keys (PartitionKey = integration id), every field of the table, and the
 * search text (rows written before it existed get theirs from their fields).
 */
export const eventRowSchema = z
  .object({ partitionKey: z.string(), rowKey: z.string(), ...eventTable.shape, search: z.string().optional() })
  .transform(({ partitionKey, rowKey, search, ...columns }) => {
    const record = eventTable.read(columns);
    return { partitionKey, rowKey, ...record, search: search ?? eventSearchText(record) };
  });

/** A calendar event as stored and as the API returns it (API.md "Queries"), minus integration fields. */
export type StoredEvent = Omit<z.infer<typeof eventRowSchema>, 'partitionKey' | 'rowKey' | 'search'>;

export function eventToRow(integrationId: string, rowKey: string, e: StoredEvent) {
  return { partitionKey: integrationId, rowKey, ...eventTable.write(e), search: eventSearchText(e) };
}

/** The API shape of a stored event row. */
export function eventView(row: z.infer<typeof eventRowSchema>, provider: Provider) {
  const { id, ...fields } = eventTable.view(row);
  return { id, integration_id: row.partitionKey, provider, ...fields };
}
