import { apiBaseUrl } from '../config';
import type { CalendarEvent, EmailMessage, TokenSource } from './client';
import { networkError, toApiError } from './problem';
import type { components } from './schema';

// Calls of API.md operations this deployment may not serve yet ("Calendars", "Free/busy", "Writes"):
// each view offers them only where the served document has them (capabilities.ts). Their answers are
// typed by the generated schema as soon as it holds the component (after `npm run web:client` on an
// API that serves them); until then by the few fields these views read, from API.md.

type Schemas = components['schemas'];
type Generated<Name extends string, Until> = Name extends keyof Schemas ? Schemas[Name] : Until;

export type Calendar = Generated<
  'Calendar',
  { id: string; name: string; color: string | null; is_default: boolean; can_edit: boolean; sync_enabled: boolean }
>;
export type FreeBusy = Generated<
  'FreeBusy',
  {
    busy: { start: string; end: string; status: string }[];
    working_hours: { days: string[]; start: string; end: string; time_zone: string } | null;
  }
>;
export interface NewEvent {
  title: string;
  start: string;
  end: string;
  location?: string;
  description?: string;
  calendar_id?: string;
}
export interface NewMessage {
  to: { email: string }[];
  subject: string;
  body: string;
  reply_to_message_id?: string;
}

const path = (template: string, params: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));

export function createOptionalApi(token: TokenSource) {
  async function call<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    let res: Response;
    try {
      res = await fetch(`${apiBaseUrl}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${await token()}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw networkError(error);
    }
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw toApiError(res, parsed);
    return parsed as T;
  }
  return {
    calendars: (id: string) =>
      call<{ results: Calendar[]; next_cursor: string | null }>('GET', path('/integrations/{id}/calendars', { id })),
    setCalendarSync: (id: string, calendarId: string, enabled: boolean) =>
      call<Calendar>('PATCH', path('/integrations/{id}/calendars/{calendar_id}', { id, calendar_id: calendarId }), {
        sync_enabled: enabled,
      }),
    freeBusy: (start: string, end: string) =>
      call<FreeBusy>('GET', `/integrations/free-busy?${new URLSearchParams({ start_date: start, end_date: end })}`),
    // Writes carry an Idempotency-Key: a retry after a lost answer creates or sends nothing more.
    createEvent: (id: string, event: NewEvent) =>
      call<CalendarEvent>('POST', path('/integrations/{id}/calendar-events', { id }), event, {
        'Idempotency-Key': crypto.randomUUID(),
      }),
    cancelEvent: (id: string, eventId: string) =>
      call<undefined>('DELETE', path('/integrations/{id}/calendar-events/{event_id}', { id, event_id: eventId })),
    respond: (id: string, eventId: string, response: 'accept' | 'tentative' | 'decline') =>
      call<CalendarEvent>(
        'POST',
        path('/integrations/{id}/calendar-events/{event_id}/respond', { id, event_id: eventId }),
        { response },
      ),
    markRead: (id: string, messageId: string, isRead: boolean) =>
      call<EmailMessage>(
        'PATCH',
        path('/integrations/{id}/email-messages/{message_id}', { id, message_id: messageId }),
        {
          is_read: isRead,
        },
      ),
    send: (id: string, message: NewMessage) =>
      call<{ id: string | null; status: string }>('POST', path('/integrations/{id}/email-messages', { id }), message, {
        'Idempotency-Key': crypto.randomUUID(),
      }),
  };
}
export type OptionalApi = ReturnType<typeof createOptionalApi>;
