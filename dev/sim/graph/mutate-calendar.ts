import { reviseEvent } from './event-json.js';
import type { ChangeRecord } from './notify.js';
import { addException } from './seed-calendar.js';
import type { EventFields, EventRecord, Series, UserState, ViewItem } from './store.js';
import { occurrenceOf } from './calendar-view.js';

// Calendar writes shared by POST/PATCH/DELETE /me/events and applyChanges. Every write bumps the
// calendar version (dropping cached views) and reports what changed for notifications.

export type EventLocation =
  | { kind: 'single'; rec: EventRecord }
  | { kind: 'master'; series: Series }
  | { kind: 'exception'; series: Series; rec: EventRecord }
  | { kind: 'occurrence'; series: Series; day: number };

export function locateEvent(user: UserState, id: string): EventLocation | undefined {
  const cal = user.calendar;
  const single = cal.singles.get(id);
  if (single) return { kind: 'single', rec: single };
  const series = cal.series.get(id);
  if (series) return { kind: 'master', series };
  const occ = cal.occurrences.get(id);
  const owner = cal.series.get(occ?.masterId ?? cal.exceptionOwner.get(id) ?? '');
  if (!owner) return undefined;
  for (const ex of owner.exceptions.values()) if (ex.id === id) return { kind: 'exception', series: owner, rec: ex };
  if (occ && !owner.cancelled.has(occ.day)) return { kind: 'occurrence', series: owner, day: occ.day };
  return undefined;
}

export function itemOf(user: UserState, loc: EventLocation): ViewItem {
  switch (loc.kind) {
    case 'single':
    case 'exception':
      return loc.rec;
    case 'master':
      return loc.series.master;
    case 'occurrence':
      return occurrenceOf(user.calendar, loc.series, loc.day);
  }
}

const changed = (changeType: ChangeRecord['changeType'], item: ViewItem): ChangeRecord => ({
  resource: 'event',
  changeType,
  id: item.id,
  changeKey: item.changeKey,
});

export function addSingle(user: UserState, rec: EventRecord): ChangeRecord {
  user.calendar.singles.set(rec.id, rec);
  user.calendar.version++;
  return changed('created', rec);
}

/** Applies an edit; editing an occurrence turns it into an exception. Returns the new item. */
export function editEvent(
  user: UserState,
  loc: EventLocation,
  edit: (f: EventFields) => EventFields,
  nowMs: number,
): { item: ViewItem; change: ChangeRecord } {
  const cal = user.calendar;
  let item: EventRecord;
  switch (loc.kind) {
    case 'single':
      item = reviseEvent(loc.rec, edit({ ...loc.rec.fields }), nowMs);
      cal.singles.set(item.id, item);
      break;
    case 'master':
      item = reviseEvent(loc.series.master, edit({ ...loc.series.master.fields }), nowMs);
      loc.series.master = item;
      break;
    case 'exception':
      item = reviseEvent(loc.rec, edit({ ...loc.rec.fields }), nowMs);
      loc.series.exceptions.set(item.originalDay ?? 0, item);
      break;
    case 'occurrence':
      item = addException(user, loc.series, loc.day, nowMs, edit);
      break;
  }
  cal.version++;
  return { item, change: changed('updated', item) };
}

/** Deletes an event; deleting an occurrence or exception cancels that date of the series. */
export function deleteEvent(user: UserState, loc: EventLocation): ChangeRecord {
  const cal = user.calendar;
  const item = itemOf(user, loc);
  switch (loc.kind) {
    case 'single':
      cal.singles.delete(loc.rec.id);
      break;
    case 'master':
      cal.series.delete(loc.series.master.id);
      for (const ex of loc.series.exceptions.values()) cal.exceptionOwner.delete(ex.id);
      break;
    case 'exception':
      loc.series.exceptions.delete(loc.rec.originalDay ?? 0);
      loc.series.cancelled.add(loc.rec.originalDay ?? 0);
      cal.exceptionOwner.delete(loc.rec.id);
      break;
    case 'occurrence':
      loc.series.cancelled.add(loc.day);
      break;
  }
  cal.version++;
  return changed('deleted', item);
}
