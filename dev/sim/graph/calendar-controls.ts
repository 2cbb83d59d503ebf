import type {
  CalendarShareInput,
  ChangeReport,
  ChangesInput,
  ExtraCalendarSeed,
  GraphService,
  MailboxSettingsInput,
  SimCalendarInfo,
} from '../contract.js';
import { addCalendar, calendarUser, removeCalendar } from './calendars.js';
import { applyChanges } from './changes.js';
import type { ChangeRecord } from './notify.js';
import type { SimCalendar, UserDirectory, UserState } from './store.js';
import { setMailboxSettings } from './users.js';

// The GraphService's calendar controls (/_sim/users/{email}/calendars…): create, change, delete and
// share calendars, script changes in one, set mailbox settings. The ground truth of each calendar is
// calendarTruth(email, start, end, calendarId).

/** Thrown for a calendar the user does not have. */
export class UnknownCalendarError extends Error {
  constructor(id: string) {
    super(`No simulated calendar '${id}'.`);
    this.name = 'UnknownCalendarError';
  }
}

interface Deps {
  users: UserDirectory;
  mustFind(emailOrId: string): UserState;
  nowMs(): number;
  publish(user: UserState, changes: ChangeRecord[]): void;
}

type CalendarControls = Pick<
  GraphService,
  | 'listCalendars'
  | 'createCalendar'
  | 'updateCalendar'
  | 'deleteCalendar'
  | 'shareCalendar'
  | 'applyCalendarChanges'
  | 'setMailboxSettings'
>;

export function calendarControls(d: Deps): CalendarControls {
  const info = (owner: UserState, cal: SimCalendar): SimCalendarInfo => ({
    id: cal.id,
    name: cal.name,
    is_default: cal.isDefault,
    refuse_delta: cal.refuseDelta,
    owner: owner.user.email,
    shares: d.users
      .all()
      .flatMap((u) =>
        u.sharedWithMe
          .filter((s) => s.ownerId === owner.user.id && s.calendarId === cal.id)
          .map((s) => ({ with: u.user.email, role: s.role, accepted: s.accepted })),
      ),
  });
  return {
    listCalendars(email: string) {
      const user = d.users.find(email);
      return user && [...user.calendars.values()].map((c) => info(user, c));
    },
    createCalendar(email: string, input: ExtraCalendarSeed) {
      const user = d.mustFind(email);
      const { name, hex_color: hexColor, refuse_delta: refuseDelta, ...seed } = input;
      return info(user, addCalendar(user, { name, hexColor, refuseDelta, seed }, d.nowMs()));
    },
    updateCalendar(email: string, id: string, input: { refuse_delta?: boolean; name?: string }) {
      const user = d.mustFind(email);
      const cal = user.calendars.get(id);
      if (!cal) return undefined;
      if (input.refuse_delta !== undefined) cal.refuseDelta = input.refuse_delta;
      if (input.name !== undefined) cal.name = input.name;
      return info(user, cal);
    },
    deleteCalendar(email: string, id: string) {
      return removeCalendar(d.mustFind(email), id, d.users.all());
    },
    shareCalendar(email: string, id: string, input: CalendarShareInput) {
      const owner = d.mustFind(email);
      const sharee = d.users.find(input.with);
      if (!owner.calendars.has(id) || !sharee || sharee.user.id === owner.user.id) return false;
      const rest = sharee.sharedWithMe.filter((s) => !(s.ownerId === owner.user.id && s.calendarId === id));
      sharee.sharedWithMe = [
        ...rest,
        { ownerId: owner.user.id, calendarId: id, role: input.role, accepted: input.accepted },
      ];
      return true;
    },
    applyCalendarChanges(email: string, id: string, changes: ChangesInput): ChangeReport | undefined {
      const user = d.mustFind(email);
      const cal = user.calendars.get(id);
      if (!cal) return undefined;
      // Published with the calendar's view, so notifications reach that calendar's subscriptions.
      const view = calendarUser(user, cal);
      return applyChanges(view, { calendar: changes.calendar }, d.nowMs(), (c) => d.publish(view, c));
    },
    setMailboxSettings(email: string, input: MailboxSettingsInput) {
      setMailboxSettings(d.mustFind(email), input);
    },
  };
}
