import type { CalendarSeed } from '../contract.js';
import { changeKeyOf, graphId, seedOf } from './ids.js';
import { seedCalendar } from './seed-calendar.js';
import { emptyCalendar, type GraphObject, type SimCalendar, type UserState } from './store.js';

// A user's calendars (calendar-get.md, user-list-calendars.md). Every calendar has its own events;
// the default one's are `UserState.calendar`, which the rest of the simulator (writes, changes,
// subscriptions) works on. The other calendars reuse the same code through `calendarUser`: a view
// of the user whose `calendar` is that calendar's events.

/** Events of different calendars never share an id: each calendar counts from its own offset. */
const ID_BLOCK = 10_000_000;

export interface NewCalendar {
  name: string;
  hexColor?: string;
  refuseDelta?: boolean;
  seed?: CalendarSeed;
}

/** Events a calendar created by the control gets when its seed says nothing (the default calendar's are larger). */
const EXTRA_CALENDAR_DEFAULTS: CalendarSeed = { events: 10, recurring_series: 1, all_day: 1 };

export function defaultCalendarOf(user: UserState): SimCalendar {
  const id = graphId('AAMkAG', user.user.id, 'calendar', 0);
  return { id, name: 'Calendar', hexColor: '', isDefault: true, refuseDelta: false, state: user.calendar };
}

/** The user as seen by code written for `user.calendar`: the same user, with this calendar's events. */
export function calendarUser(user: UserState, cal: SimCalendar): UserState {
  return cal.state === user.calendar ? user : { ...user, calendar: cal.state };
}

export function addCalendar(user: UserState, input: NewCalendar, nowMs: number): SimCalendar {
  const n = ++user.calendarCounter;
  const state = emptyCalendar();
  state.idCounter = n * ID_BLOCK;
  const cal: SimCalendar = {
    id: graphId('AAMkAG', user.user.id, 'calendar', n),
    name: input.name,
    hexColor: input.hexColor ?? '',
    isDefault: false,
    refuseDelta: input.refuseDelta ?? false,
    state,
  };
  const view = { ...user, seed: seedOf(user.seed, 'calendar', n), calendar: state };
  seedCalendar(view, { ...EXTRA_CALENDAR_DEFAULTS, ...input.seed }, nowMs);
  user.calendars.set(cal.id, cal);
  return cal;
}

/** Removes a calendar with its events and the shares of it; the default calendar cannot be removed. */
export function removeCalendar(owner: UserState, calendarId: string, everyone: readonly UserState[]): boolean {
  const cal = owner.calendars.get(calendarId);
  if (!cal || cal.isDefault) return false;
  owner.calendars.delete(calendarId);
  for (const u of everyone)
    u.sharedWithMe = u.sharedWithMe.filter((s) => !(s.ownerId === owner.user.id && s.calendarId === calendarId));
  return true;
}

/** A calendar resource as Graph sends it; `viewer` is the user listing it (the owner, or a sharee). */
export function calendarJson(
  owner: UserState,
  cal: SimCalendar,
  viewer: UserState,
  role?: 'read' | 'write',
): GraphObject {
  const own = viewer.user.id === owner.user.id;
  return {
    id: cal.id,
    name: cal.name,
    color: 'auto',
    hexColor: cal.hexColor,
    isDefaultCalendar: own && cal.isDefault,
    changeKey: changeKeyOf(cal.id, cal.name.length),
    canShare: own,
    canViewPrivateItems: own,
    canEdit: own || role === 'write',
    allowedOnlineMeetingProviders: ['teamsForBusiness'],
    defaultOnlineMeetingProvider: 'teamsForBusiness',
    isTallyingResponses: own,
    isRemovable: !cal.isDefault || !own,
    owner: { name: owner.user.displayName, address: owner.user.email },
  };
}
