import { useEffect, useRef } from 'preact/hooks';
import type { CalendarEvent } from '../api/client';
import { formatDateTime } from './format';

/** The selected event's details; Escape or the close button returns focus to the week. */
export interface EventActions {
  cancel?: () => void;
  respond?: (response: 'accept' | 'tentative' | 'decline') => void;
}

export function EventDetails(props: { event: CalendarEvent; onClose: () => void; actions?: EventActions }) {
  const { event, onClose, actions = {} } = props;
  // `my_response` arrives with the event writes (API.md): null when the caller organizes the event.
  const myResponse = (event as { my_response?: string | null }).my_response;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [event.id]);
  return (
    <aside class="details" aria-labelledby="event-details-title" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div class="details-head">
        <h3 id="event-details-title" tabIndex={-1} ref={heading}>
          {event.title || '(no title)'}
        </h3>
        <button type="button" class="ghost" onClick={onClose} aria-label="Close the event details">
          ×
        </button>
      </div>
      {event.is_cancelled && <p class="badge error">Cancelled</p>}
      <dl>
        <dt>When</dt>
        <dd>
          {event.is_all_day ? 'All day, ' : ''}
          {formatDateTime(event.start)} – {formatDateTime(event.end)}
        </dd>
        {event.location && (
          <>
            <dt>Where</dt>
            <dd>{event.location}</dd>
          </>
        )}
        {event.organizer && (
          <>
            <dt>Organizer</dt>
            <dd>
              {event.organizer.name} &lt;{event.organizer.email}&gt;
            </dd>
          </>
        )}
        {event.attendees.length > 0 && (
          <>
            <dt>Attendees ({event.attendees_total})</dt>
            <dd>
              <ul class="plain">
                {event.attendees.map((a) => (
                  <li key={a.email}>
                    {a.name || a.email} <span class="muted">· {a.response}</span>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
      {event.description && <p class="description">{event.description}</p>}
      {(actions.cancel || (actions.respond && myResponse != null)) && (
        <div class="actions">
          {actions.respond &&
            myResponse != null &&
            (['accept', 'tentative', 'decline'] as const).map((r) => (
              <button type="button" key={r} onClick={() => actions.respond?.(r)}>
                {r === 'accept' ? 'Accept' : r === 'tentative' ? 'Tentative' : 'Decline'}
              </button>
            ))}
          {actions.cancel && (
            <button type="button" class="ghost danger-text" onClick={actions.cancel}>
              Cancel event
            </button>
          )}
        </div>
      )}
      {event.web_link && (
        <p>
          <a href={event.web_link} target="_blank" rel="noreferrer">
            Open in Outlook
          </a>
        </p>
      )}
    </aside>
  );
}
