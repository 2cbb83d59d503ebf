import { z } from 'zod';
import type { Provider } from '../providers.js';
import {
  api,
  capText,
  count,
  fieldTable,
  fitList,
  flag,
  instantMs,
  isoInstant,
  json,
  optionalText,
  text,
} from './field-table.js';
import { personResponse, personSchema, capPerson, ID_CAP, LINK_CAP, TITLE_CAP } from './people.js';

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
const graphValues = (values: string) => z.string().meta({ description: `As Microsoft Graph reports it: ${values}.` });

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
  location: text(TITLE_CAP, api('location', z.string())),
  attendees: json(
    z.array(attendeeSchema),
    MAX_ATTENDEES_JSON_CHARS,
    (list) => fitList(list.map(capAttendee), MAX_ATTENDEES_JSON_CHARS),
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
};
export const eventTable = fieldTable(eventFields);

/** A stored event row: its keys (PartitionKey = integration id) and every field of the table. */
export const eventRowSchema = z
  .object({ partitionKey: z.string(), rowKey: z.string(), ...eventTable.shape })
  .transform(({ partitionKey, rowKey, ...columns }) => ({ partitionKey, rowKey, ...eventTable.read(columns) }));

/** A calendar event as stored and as the API returns it (API.md "Queries"), minus integration fields. */
export type StoredEvent = Omit<z.infer<typeof eventRowSchema>, 'partitionKey' | 'rowKey'>;

export function eventToRow(integrationId: string, rowKey: string, e: StoredEvent) {
  return { partitionKey: integrationId, rowKey, ...eventTable.write(e) };
}

/** The API shape of a stored event row. */
export function eventView(row: z.infer<typeof eventRowSchema>, provider: Provider) {
  const { id, ...fields } = eventTable.view(row);
  return { id, integration_id: row.partitionKey, provider, ...fields };
}
