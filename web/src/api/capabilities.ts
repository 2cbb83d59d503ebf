import { apiBaseUrl } from '../config';

// Feature detection: the SPA reads the API's own OpenAPI document and shows a view only where the
// deployment serves its operations (writes, calendars and free/busy arrive in later versions).

export type Method = 'get' | 'post' | 'patch' | 'delete';

export interface Capabilities {
  /** Whether the API documents `method path` (path as in the document, e.g. `/integrations/{id}/calendars`). */
  has(method: Method, path: string): boolean;
  /** Whether a component schema (e.g. a request body) documents a property. */
  hasField(schema: string, property: string): boolean;
}

interface Document {
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, { properties?: Record<string, unknown> }> };
}

/** Loads /api/openapi.json (anonymous); with no document, nothing optional is offered. */
export async function loadCapabilities(): Promise<Capabilities> {
  let doc: Document = {};
  try {
    const res = await fetch(`${apiBaseUrl}/openapi.json`);
    if (res.ok) doc = (await res.json()) as Document;
  } catch {
    /* offline: the core views still work, the optional ones stay hidden */
  }
  return {
    has: (method, path) => Boolean(doc.paths?.[path]?.[method]),
    hasField: (schema, property) => Boolean(doc.components?.schemas?.[schema]?.properties?.[property]),
  };
}

/** The operations each optional view needs (API.md "Calendars", "Free/busy", "Writes"). */
export const optional = {
  calendars: ['get', '/integrations/{id}/calendars'],
  toggleCalendar: ['patch', '/integrations/{id}/calendars/{calendar_id}'],
  freeBusy: ['get', '/integrations/free-busy'],
  createEvent: ['post', '/integrations/{id}/calendar-events'],
  editEvent: ['patch', '/integrations/{id}/calendar-events/{event_id}'],
  cancelEvent: ['delete', '/integrations/{id}/calendar-events/{event_id}'],
  respondEvent: ['post', '/integrations/{id}/calendar-events/{event_id}/respond'],
  updateMessage: ['patch', '/integrations/{id}/email-messages/{message_id}'],
  sendMail: ['post', '/integrations/{id}/email-messages'],
} as const satisfies Record<string, readonly [Method, string]>;
export type OptionalFeature = keyof typeof optional;

export const supports = (caps: Capabilities, feature: OptionalFeature) =>
  caps.has(optional[feature][0], optional[feature][1]);
