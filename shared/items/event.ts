import { z } from 'zod';
import { jsonColumn as json } from './json-column.js';

/** A calendar event as stored and as the API returns it (API.md "Queries"), minus integration fields. */
export interface StoredEvent {
  id: string;
  externalId: string;
  changeKey: string;
  title: string;
  description: string;
  descriptionTruncated: boolean;
  startMs: number;
  endMs: number;
  isAllDay: boolean;
  timeZone: string;
  location: string;
  attendees: { name: string; email: string; type: string; response: string }[];
  attendeesTotal: number;
  organizer: { name: string; email: string } | null;
  isCancelled: boolean;
  type: string;
  seriesMasterId: string | null;
  webLink: string;
  createdAt: string;
  modifiedAt: string;
}

const person = z.object({ name: z.string(), email: z.string() });

export const eventRowSchema = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  id: z.string(),
  externalId: z.string(),
  changeKey: z.string(),
  title: z.string(),
  description: z.string(),
  descriptionTruncated: z.boolean(),
  start: z.string(),
  end: z.string(),
  isAllDay: z.boolean(),
  timeZone: z.string(),
  location: z.string(),
  attendees: json(z.array(z.object({ name: z.string(), email: z.string(), type: z.string(), response: z.string() }))),
  attendeesTotal: z.number().int(),
  organizer: json(person.nullable()),
  isCancelled: z.boolean(),
  type: z.string(),
  seriesMasterId: z.string().nullable().optional(),
  webLink: z.string(),
  createdAt: z.string(),
  modifiedAt: z.string(),
});

export function eventToRow(integrationId: string, rowKey: string, e: StoredEvent) {
  return {
    partitionKey: integrationId,
    rowKey,
    id: e.id,
    externalId: e.externalId,
    changeKey: e.changeKey,
    title: e.title,
    description: e.description,
    descriptionTruncated: e.descriptionTruncated,
    start: new Date(e.startMs).toISOString(),
    end: new Date(e.endMs).toISOString(),
    isAllDay: e.isAllDay,
    timeZone: e.timeZone,
    location: e.location,
    attendees: JSON.stringify(e.attendees),
    attendeesTotal: e.attendeesTotal,
    organizer: JSON.stringify(e.organizer),
    isCancelled: e.isCancelled,
    type: e.type,
    seriesMasterId: e.seriesMasterId,
    webLink: e.webLink,
    createdAt: e.createdAt,
    modifiedAt: e.modifiedAt,
  };
}

const iso = (s: string) => new Date(s).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The API shape of a stored event row. */
export function eventView(row: z.infer<typeof eventRowSchema>, provider: string) {
  return {
    id: row.id,
    integration_id: row.partitionKey,
    provider,
    external_id: row.externalId,
    title: row.title,
    description: row.description,
    description_truncated: row.descriptionTruncated,
    start: iso(row.start),
    end: iso(row.end),
    is_all_day: row.isAllDay,
    time_zone: row.timeZone,
    location: row.location,
    attendees: row.attendees,
    attendees_total: row.attendeesTotal,
    organizer: row.organizer,
    is_cancelled: row.isCancelled,
    type: row.type,
    series_master_id: row.seriesMasterId ?? null,
    web_link: row.webLink,
    created_at: iso(row.createdAt),
    modified_at: iso(row.modifiedAt),
  };
}
