import { useEffect, useState } from 'preact/hooks';
import type { Integration } from '../api/client';
import type { ApiError } from '../api/problem';
import type { Calendar, FreeBusy, NewEvent, OptionalApi } from '../api/optional';

// The week view's parts that need API.md "Calendars", "Free/busy" and event writes: rendered only where
// the served document has the operation (the caller checks `supports(caps, …)`).

/** Calendars of every calendar integration: a checkbox shows or hides each one's events (and its sync). */
export function CalendarToggles(props: {
  optional: OptionalApi;
  integrations: Integration[];
  canToggleSync: boolean;
  hidden: Set<string>;
  onHidden: (hidden: Set<string>) => void;
  onError: (e: ApiError) => void;
}) {
  const [calendars, setCalendars] = useState<(Calendar & { integration_id: string })[]>([]);
  useEffect(() => {
    void Promise.all(
      props.integrations.map((i) =>
        props.optional.calendars(i.id).then((page) => page.results.map((c) => ({ ...c, integration_id: i.id }))),
      ),
    )
      .then((lists) => setCalendars(lists.flat()))
      .catch(props.onError);
  }, [props.integrations.map((i) => i.id).join()]);
  if (calendars.length === 0) return null;
  return (
    <fieldset class="calendars">
      <legend>Calendars</legend>
      {calendars.map((c) => (
        <label key={c.id} style={{ '--colour': c.color ?? '#2563eb' }}>
          <input
            type="checkbox"
            checked={!props.hidden.has(c.id)}
            onChange={(e) => {
              const show = (e.target as HTMLInputElement).checked;
              const next = new Set(props.hidden);
              if (show) next.delete(c.id);
              else next.add(c.id);
              props.onHidden(next);
              // Showing a calendar that is not synced asks the API to sync it (PATCH sync_enabled).
              if (show && !c.sync_enabled && props.canToggleSync) {
                void props.optional.setCalendarSync(c.integration_id, c.id, true).catch(props.onError);
              }
            }}
          />
          <span class="swatch" aria-hidden="true" /> {c.name}
        </label>
      ))}
    </fieldset>
  );
}

/** Busy intervals of the week, for the shading behind the events. */
export function useFreeBusy(optional: OptionalApi, enabled: boolean, start: Date, end: Date, version: number) {
  const [busy, setBusy] = useState<FreeBusy['busy']>([]);
  useEffect(() => {
    if (!enabled) return;
    void optional
      .freeBusy(start.toISOString(), end.toISOString())
      .then((answer) => setBusy(answer.busy))
      .catch(() => setBusy([]));
  }, [enabled, start.getTime(), version]);
  return busy;
}

/** A new event in the default calendar of the first calendar integration. */
export function NewEventForm(props: {
  day: Date;
  onCreate: (event: NewEvent) => Promise<unknown>;
  onClose: () => void;
}) {
  const iso = (d: Date) =>
    `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const [title, setTitle] = useState('');
  const [date, setDate] = useState(iso(props.day));
  const [from, setFrom] = useState('10:00');
  const [to, setTo] = useState('10:30');
  const [location, setLocation] = useState('');
  const [busy, setBusy] = useState(false);
  const at = (time: string) => new Date(`${date}T${time}`).toISOString();
  return (
    <aside class="details" aria-labelledby="new-event-title">
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          void props
            .onCreate({ title, start: at(from), end: at(to), ...(location ? { location } : {}) })
            .finally(() => setBusy(false));
        }}
      >
        <div class="details-head">
          <h3 id="new-event-title">New event</h3>
          <button type="button" class="ghost" onClick={props.onClose} aria-label="Close the new event form">
            ×
          </button>
        </div>
        <label>
          Title <input required value={title} onInput={(e) => setTitle((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Date{' '}
          <input type="date" required value={date} onInput={(e) => setDate((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          From{' '}
          <input type="time" required value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          To <input type="time" required value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Where <input value={location} onInput={(e) => setLocation((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="primary" disabled={busy}>
          Create
        </button>
      </form>
    </aside>
  );
}
