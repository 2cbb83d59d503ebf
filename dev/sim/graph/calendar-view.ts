import { graphId } from './ids.js';
import { expandDays } from './recurrence.js';
import type { CalendarState, CalendarView, GraphObject, Series, ViewItem } from './store.js';
import { DAY_MS, dayNumber, localToUtc, resolveZone, UTC_ZONE, utcToLocal, type Zone } from './time.js';
import { textBodyOf, utcDateTime, type BodyType } from './event-json.js';

// What calendarView returns for a window: single events and exceptions that overlap it, plus the
// series' occurrences expanded from their recurrence. Series masters are never part of a view.
// Views are cached per window until the calendar's version changes; occurrence objects are
// cached per series until its master changes, so unchanged items are shared between views.

const MAX_CACHED_VIEWS = 16;

export function seriesZone(series: Series): Zone {
  const f = series.master.fields;
  return resolveZone(f.recurrence?.range.recurrenceTimeZone || f.timeZone) ?? UTC_ZONE;
}

export const occurrenceIdOf = (masterId: string, day: number): string => graphId('AAMkAG', 'occurrence', masterId, day);

/** The occurrence of a series on a local day (its start keeps the master's wall-clock time). */
export function occurrenceOf(cal: CalendarState, series: Series, day: number): ViewItem {
  const master = series.master;
  if (series.occurrenceCacheKey !== master.changeKey) {
    series.occurrenceCache = new Map();
    series.occurrenceCacheKey = master.changeKey;
  }
  const cached = series.occurrenceCache.get(day);
  if (cached) return cached;
  const duration = master.endMs - master.startMs;
  let startMs: number;
  if (master.isAllDay) {
    startMs = day * DAY_MS;
  } else {
    const zone = seriesZone(series);
    const wall = utcToLocal(zone.iana, master.startMs);
    startMs = localToUtc(zone.iana, day * DAY_MS + (wall - dayNumber(wall) * DAY_MS));
  }
  const id = occurrenceIdOf(master.id, day);
  const json: GraphObject = {
    ...master.json,
    id,
    seriesMasterId: master.id,
    type: 'occurrence',
    recurrence: null,
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`,
    start: utcDateTime(startMs),
    end: utcDateTime(startMs + duration),
  };
  const item: ViewItem = {
    id,
    type: 'occurrence',
    startMs,
    endMs: startMs + duration,
    isAllDay: master.isAllDay,
    changeKey: master.changeKey,
    json,
  };
  series.occurrenceCache.set(day, item);
  cal.occurrences.set(id, { masterId: master.id, day });
  return item;
}

export function overlaps(item: { startMs: number; endMs: number }, startMs: number, endMs: number): boolean {
  if (item.endMs <= item.startMs) return item.startMs >= startMs && item.startMs < endMs;
  return item.startMs < endMs && item.endMs > startMs;
}

function seriesItems(cal: CalendarState, series: Series, startMs: number, endMs: number, out: ViewItem[]): void {
  const master = series.master;
  const recurrence = master.fields.recurrence;
  if (recurrence) {
    const zone = seriesZone(series);
    const spanDays = Math.ceil((master.endMs - master.startMs) / DAY_MS) + 1;
    const fromDay = dayNumber(utcToLocal(zone.iana, startMs)) - spanDays;
    const toDay = dayNumber(utcToLocal(zone.iana, endMs)) + 1;
    for (const day of expandDays(recurrence, fromDay, toDay)) {
      if (series.cancelled.has(day) || series.exceptions.has(day)) continue;
      const occ = occurrenceOf(cal, series, day);
      if (overlaps(occ, startMs, endMs)) out.push(occ);
    }
  }
  for (const ex of series.exceptions.values()) if (overlaps(ex, startMs, endMs)) out.push(ex);
}

const byStart = (a: ViewItem, b: ViewItem): number => a.startMs - b.startMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The calendar view of [startMs, endMs), ordered by start then id. */
export function viewOf(cal: CalendarState, startMs: number, endMs: number): CalendarView {
  if (cal.viewsVersion !== cal.version) {
    cal.views.clear();
    cal.viewsVersion = cal.version;
  }
  const key = `${startMs}|${endMs}`;
  const hit = cal.views.get(key);
  if (hit) return hit;
  const items: ViewItem[] = [];
  for (const ev of cal.singles.values()) if (overlaps(ev, startMs, endMs)) items.push(ev);
  for (const series of cal.series.values()) seriesItems(cal, series, startMs, endMs, items);
  items.sort(byStart);
  const view: CalendarView = { items, state: new Map(items.map((i) => [i.id, i.changeKey])) };
  if (cal.views.size >= MAX_CACHED_VIEWS) {
    const oldest = cal.views.keys().next().value;
    if (oldest !== undefined) cal.views.delete(oldest);
  }
  cal.views.set(key, view);
  return view;
}

function inZone(ms: number, isAllDay: boolean, zone: Zone): GraphObject {
  // All-day events float: Graph returns them at midnight whatever zone the caller prefers.
  if (isAllDay || zone.iana === 'UTC') return { dateTime: utcDateTime(ms).dateTime, timeZone: zone.name };
  return { dateTime: utcDateTime(utcToLocal(zone.iana, ms)).dateTime, timeZone: zone.name };
}

// Graph's calendarView delta sends occurrences as stubs (observed and reported in
// microsoft-graph-docs issues #1716, #7632 and microsoft-graph-docs-contrib #34): only
// @odata.type, @odata.etag, id, seriesMasterId, type, start and end. Clients read the rest from
// the series master (GET /me/events/{seriesMasterId}). Exceptions and single events come in full.
const OCCURRENCE_DELTA_KEYS = ['@odata.etag', 'seriesMasterId', 'type', 'start', 'end', 'id'] as const;

export type RenderMode = 'list' | 'delta' | 'entity';

/** An event as sent to the caller, with start/end in the preferred zone and its body in the preferred type. */
export function renderEvent(item: ViewItem, zone: Zone, mode: RenderMode, bodyType: BodyType = 'html'): GraphObject {
  let base: GraphObject = item.json;
  if (mode === 'delta' && item.type === 'occurrence') {
    base = {};
    for (const k of OCCURRENCE_DELTA_KEYS) base[k] = item.json[k];
  }
  const out: GraphObject = mode === 'delta' ? { '@odata.type': '#microsoft.graph.event', ...base } : { ...base };
  if (zone !== UTC_ZONE) {
    out.start = inZone(item.startMs, item.isAllDay, zone);
    out.end = inZone(item.endMs, item.isAllDay, zone);
  }
  if (bodyType === 'text' && out.body) out.body = textBodyOf(item.json);
  return out;
}
