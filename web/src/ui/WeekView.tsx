import { useEffect, useMemo, useState } from 'preact/hooks';
import { allPages, unwrap, type Api, type CalendarEvent, type Integration } from '../api/client';
import { supports, type Capabilities } from '../api/capabilities';
import type { OptionalApi } from '../api/optional';
import type { ApiError } from '../api/problem';
import { CalendarToggles, NewEventForm, useFreeBusy } from './CalendarExtras';
import { startConnect } from './connect';
import { ErrorBanner } from './ErrorBanner';
import { EventDetails } from './EventDetails';
import { addDays, colourOf, formatDay, formatTime, startOfWeek } from './format';
import { layoutWeek } from './week-layout';

const HOUR_PX = 44;

interface Props {
  api: Api;
  caps: Capabilities;
  optional: OptionalApi;
  integrations: Integration[];
  /** Changes when a sync finished: the week is read again. */
  version: number;
}

/** The week's events across the caller's calendar integrations, Monday to Sunday in the browser's zone. */
export function WeekView({ api, caps, optional, integrations, version: synced }: Props) {
  const [edits, setEdits] = useState(0);
  const version = synced + edits;
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [creating, setCreating] = useState(false);
  const [weekStart, setWeekStart] = useState(() => startOfWeek(new Date()));
  const [events, setEvents] = useState<CalendarEvent[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState<CalendarEvent | null>(null);
  const calendars = integrations.filter((i) => i.provider === 'microsoft_calendar');
  const weekEnd = addDays(weekStart, 7);

  useEffect(() => {
    if (calendars.length === 0) return setEvents([]);
    let current = true;
    // Every page of the window: the API pages by cursor (at most 500 a page).
    allPages((cursor) =>
      unwrap(
        api.GET('/integrations/calendar-events', {
          params: {
            query: {
              start_date: weekStart.toISOString(),
              end_date: weekEnd.toISOString(),
              limit: '500',
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      ),
    )
      .then((list) => current && (setEvents(list), setError(null)))
      .catch((e: ApiError) => current && setError(e));
    return () => {
      current = false;
    };
  }, [api, weekStart.getTime(), version, calendars.length]);

  const busy = useFreeBusy(optional, supports(caps, 'freeBusy') && calendars.length > 0, weekStart, weekEnd, version);
  const calendarOf = (e: CalendarEvent) => (e as { calendar_id?: string | null }).calendar_id ?? '';
  const shown = useMemo(() => (events ?? []).filter((e) => !hidden.has(calendarOf(e))), [events, hidden]);
  const layout = useMemo(() => layoutWeek(shown, weekStart), [shown, weekStart.getTime()]);
  const shading = useMemo(
    () =>
      layoutWeek(
        busy.map((b, i) => ({ id: `busy-${i}`, start: b.start, end: b.end, is_all_day: false }) as CalendarEvent),
        weekStart,
      ).blocks,
    [busy, weekStart.getTime()],
  );
  const afterWrite = () => {
    setEdits((n) => n + 1);
  };
  const hours = [...Array(layout.lastHour - layout.firstHour).keys()].map((h) => h + layout.firstHour);
  const days = [...Array(7).keys()].map((d) => addDays(weekStart, d));
  const today = new Date().toDateString();
  const label = `${formatDay(weekStart)} – ${formatDay(addDays(weekStart, 6))} ${addDays(weekStart, 6).getFullYear()}`;

  return (
    <section aria-labelledby="week-title" class="week" data-week-start={weekStart.toISOString()}>
      <div class="toolbar">
        <h2 id="week-title">{label}</h2>
        <div class="button-group" role="group" aria-label="Week">
          <button type="button" onClick={() => setWeekStart(addDays(weekStart, -7))} aria-label="Previous week">
            ‹
          </button>
          <button type="button" onClick={() => setWeekStart(startOfWeek(new Date()))}>
            Today
          </button>
          <button type="button" onClick={() => setWeekStart(addDays(weekStart, 7))} aria-label="Next week">
            ›
          </button>
        </div>
        <span class="muted" aria-live="polite">
          {events === null ? 'Loading…' : `${shown.length} events`}
        </span>
        {supports(caps, 'createEvent') && calendars.length > 0 && (
          <button type="button" class="primary" onClick={() => (setSelected(null), setCreating(true))}>
            New event
          </button>
        )}
      </div>
      {supports(caps, 'calendars') && (
        <CalendarToggles
          optional={optional}
          integrations={calendars}
          canToggleSync={supports(caps, 'toggleCalendar')}
          hidden={hidden}
          onHidden={setHidden}
          onError={setError}
        />
      )}
      <ErrorBanner
        error={error}
        onDismiss={() => setError(null)}
        onUpgrade={() =>
          void startConnect(api, 'microsoft_calendar', {
            access: 'read_write',
            loginHint: calendars[0]?.account.email,
          }).catch(setError)
        }
      />
      {calendars.length === 0 ? (
        <p class="empty">Connect Microsoft Calendar to see your week.</p>
      ) : (
        <div class="week-body">
          <div class="week-grid" style={{ '--hours': hours.length, '--hour': `${HOUR_PX}px` }}>
            <div class="corner" />
            {days.map((d) => (
              <div class={`day-head ${d.toDateString() === today ? 'today' : ''}`} key={d.getTime()}>
                {formatDay(d)}
              </div>
            ))}
            <div class="all-day-label muted">all day</div>
            {days.map((d, i) => (
              <div class="all-day" key={d.getTime()}>
                {layout.allDay
                  .filter((a) => a.days[0] === i)
                  .map((a) => (
                    <EventChip
                      key={a.event.id}
                      event={a.event}
                      span={a.days.length}
                      onOpen={setSelected}
                      selected={selected?.id === a.event.id}
                    />
                  ))}
              </div>
            ))}
            <div class="hours">
              {hours.map((h) => (
                <div class="hour-label muted" key={h}>
                  {formatTime(new Date(2000, 0, 1, h))}
                </div>
              ))}
            </div>
            {days.map((d, i) => (
              <div class="day-column" key={d.getTime()} data-day={i}>
                {shading
                  .filter((b) => b.day === i)
                  .map((b) => (
                    <div
                      key={`${b.event.id}-${i}`}
                      class="busy-shade"
                      aria-hidden="true"
                      style={{
                        top: `${((b.from - layout.firstHour * 60) / 60) * HOUR_PX}px`,
                        height: `${((b.to - b.from) / 60) * HOUR_PX}px`,
                      }}
                    />
                  ))}
                {layout.blocks
                  .filter((b) => b.day === i)
                  .map((b) => (
                    <button
                      type="button"
                      key={`${b.event.id}-${i}`}
                      class={`event ${b.to - b.from <= 60 ? 'short' : ''} ${b.columns > 1 ? 'narrow' : ''} ${b.event.is_cancelled ? 'cancelled' : ''} ${selected?.id === b.event.id ? 'selected' : ''}`}
                      data-external-id={b.event.external_id}
                      data-start={b.event.start}
                      data-end={b.event.end}
                      style={{
                        top: `${((b.from - layout.firstHour * 60) / 60) * HOUR_PX}px`,
                        height: `${Math.max(((b.to - b.from) / 60) * HOUR_PX - 2, 18)}px`,
                        left: `${(b.column / b.columns) * 100}%`,
                        width: `calc(${100 / b.columns}% - 3px)`,
                        '--colour': colourOf(b.event.integration_id),
                      }}
                      onClick={() => setSelected(b.event)}
                    >
                      <span class="event-title">{b.event.title || '(no title)'}</span>
                      <span class="visually-hidden">{formatDay(new Date(b.event.start))}</span>
                      <span class="event-time">
                        {formatTime(new Date(b.event.start))} – {formatTime(new Date(b.event.end))}
                      </span>
                      {b.event.location && <span class="event-where">{b.event.location}</span>}
                    </button>
                  ))}
              </div>
            ))}
          </div>
          {selected && (
            <EventDetails
              event={selected}
              onClose={() => setSelected(null)}
              actions={{
                cancel: supports(caps, 'cancelEvent')
                  ? () =>
                      optional
                        .cancelEvent(selected.integration_id, selected.id)
                        .then(() => (setSelected(null), afterWrite()))
                        .catch(setError)
                  : undefined,
                respond: supports(caps, 'respondEvent')
                  ? (response) =>
                      optional
                        .respond(selected.integration_id, selected.id, response)
                        .then((e) => (setSelected(e), afterWrite()))
                        .catch(setError)
                  : undefined,
              }}
            />
          )}
          {creating && !selected && calendars[0] && (
            <NewEventForm
              day={new Date() >= weekStart && new Date() < weekEnd ? new Date() : weekStart}
              onClose={() => setCreating(false)}
              onCreate={(event) =>
                optional
                  .createEvent(calendars[0]!.id, event)
                  .then((created) => (setCreating(false), setSelected(created), afterWrite()))
                  .catch(setError)
              }
            />
          )}
        </div>
      )}
    </section>
  );
}

function EventChip(props: {
  event: CalendarEvent;
  span: number;
  selected: boolean;
  onOpen: (e: CalendarEvent) => void;
}) {
  const e = props.event;
  return (
    <button
      type="button"
      class={`chip ${props.selected ? 'selected' : ''}`}
      data-external-id={e.external_id}
      data-start={e.start}
      data-end={e.end}
      style={{ '--span': props.span, '--colour': colourOf(e.integration_id) }}
      onClick={() => props.onOpen(e)}
    >
      <span class="event-title">{e.title || '(no title)'}</span>
      <span class="visually-hidden"> (all day)</span>
    </button>
  );
}
