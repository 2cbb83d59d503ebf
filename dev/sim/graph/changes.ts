import type { ChangeReport, ChangesInput } from '../contract.js';
import { overlaps } from './calendar-view.js';
import { buildEvent, newICalUId } from './event-json.js';
import { digest } from './ids.js';
import { findFolder } from './message-json.js';
import { addSingle, deleteEvent, editEvent } from './mutate-calendar.js';
import { addMessage, editMessage, removeMessage } from './mutate-mail.js';
import type { ChangeRecord } from './notify.js';
import { draftEvent, newEventId } from './seed-calendar.js';
import { draftMessage } from './seed-mailbox.js';
import { EVENT_SUBJECTS, MAIL_SUBJECTS, TIME_ZONES, htmlBody, paragraph } from './seed-text.js';
import type { EventRecord, MessageRecord, UserState } from './store.js';
import { DAY_MS, dayNumber } from './time.js';

// Scripted changes for tests and benchmarks (/_sim). Deterministic: the user's change PRNG picks
// the items, so the same calls in the same order touch the same ids. Calendar changes pick
// single events inside the ±30-day window (what a default sync sees); mail changes the Inbox.

const WINDOW_MS = 30 * DAY_MS;
const MOVE_OUT_DAYS = 200;

const count = (n: number | undefined): number => (Number.isFinite(n) && (n ?? 0) > 0 ? Math.floor(n ?? 0) : 0);
const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function applyChanges(
  user: UserState,
  input: ChangesInput,
  nowMs: number,
  publish: (c: ChangeRecord[]) => void,
): ChangeReport {
  const report: ChangeReport = {
    calendar: { added: [], updated: [], deleted: [], moved_out: [] },
    mailbox: { added: [], updated: [], deleted: [], marked_read: [] },
  };
  const changes: ChangeRecord[] = [];
  if (input.calendar) changeCalendar(user, input.calendar, nowMs, report, changes);
  if (input.mailbox) changeMailbox(user, input.mailbox, nowMs, report, changes);
  publish(changes);
  return report;
}

function changeCalendar(
  user: UserState,
  c: NonNullable<ChangesInput['calendar']>,
  nowMs: number,
  report: ChangeReport,
  out: ChangeRecord[],
): void {
  const rng = user.changeRng;
  const inWindow = [...user.calendar.singles.values()]
    .filter((e) => overlaps(e, nowMs - WINDOW_MS, nowMs + WINDOW_MS))
    .sort(byId);
  const pool = rng.shuffle(inWindow);
  const take = (n: number | undefined): EventRecord[] => pool.splice(0, count(n));
  for (const e of take(c.update)) {
    const { item, change } = editEvent(
      user,
      { kind: 'single', rec: e },
      (f) => ({
        ...f,
        subject: `${rng.pick(EVENT_SUBJECTS)} (rev ${e.version + 1})`,
        bodyHtml: htmlBody(paragraph(rng, 200)),
      }),
      nowMs,
    );
    report.calendar.updated.push(item.id);
    out.push(change);
  }
  for (const e of take(c.delete)) {
    out.push(deleteEvent(user, { kind: 'single', rec: e }));
    report.calendar.deleted.push(e.id);
  }
  take(c.move_out).forEach((e, i) => {
    const startMs = e.isAllDay
      ? (dayNumber(nowMs) + MOVE_OUT_DAYS + i) * DAY_MS
      : Math.floor(nowMs / 3_600_000) * 3_600_000 + MOVE_OUT_DAYS * DAY_MS + i * 3_600_000;
    const { change } = editEvent(
      user,
      { kind: 'single', rec: e },
      (f) => ({ ...f, startMs, endMs: startMs + (f.endMs - f.startMs) }),
      nowMs,
    );
    report.calendar.moved_out.push(e.id);
    out.push(change);
  });
  const me = { name: user.user.displayName, address: user.user.email };
  for (let i = 0; i < count(c.add); i++) {
    const wall = (dayNumber(nowMs) + rng.int(-25, 25)) * DAY_MS + rng.int(8, 17) * 3_600_000;
    const fields = draftEvent(
      { rng, me, maxAttendees: 3, bodyBytes: 300 },
      rng.pick(TIME_ZONES),
      wall,
      rng.pick([30, 60]),
    );
    const id = newEventId(user);
    const rec = buildEvent(
      {
        id,
        type: 'singleInstance',
        version: 1,
        createdMs: nowMs,
        modifiedMs: nowMs,
        seriesMasterId: null,
        originalDay: null,
        iCalUId: newICalUId(id),
      },
      fields,
    );
    out.push(addSingle(user, rec));
    report.calendar.added.push(id);
  }
}

function changeMailbox(
  user: UserState,
  c: NonNullable<ChangesInput['mailbox']>,
  nowMs: number,
  report: ChangeReport,
  out: ChangeRecord[],
): void {
  const rng = user.changeRng;
  const inbox = findFolder(user, 'inbox');
  if (!inbox) return;
  const pool = rng.shuffle([...user.mail.messages.values()].filter((m) => m.folderId === inbox.id).sort(byId));
  const take = (n: number | undefined, pred: (m: MessageRecord) => boolean = () => true): MessageRecord[] => {
    const picked: MessageRecord[] = [];
    for (let i = 0; i < pool.length && picked.length < count(n);) {
      const m = pool[i] as MessageRecord;
      if (pred(m)) picked.push(...pool.splice(i, 1));
      else i++;
    }
    return picked;
  };
  for (const m of take(c.update)) {
    const { change } = editMessage(
      user,
      m,
      (f) => ({
        ...f,
        subject: `${rng.pick(MAIL_SUBJECTS)} (rev ${m.version + 1})`,
        bodyHtml: htmlBody(paragraph(rng, 200)),
      }),
      nowMs,
    );
    report.mailbox.updated.push(m.id);
    out.push(change);
  }
  for (const m of take(c.delete)) {
    out.push(removeMessage(user, m));
    report.mailbox.deleted.push(m.id);
  }
  for (const m of take(c.mark_read, (x) => !x.fields.isRead)) {
    out.push(editMessage(user, m, (f) => ({ ...f, isRead: true }), nowMs).change);
    report.mailbox.marked_read.push(m.id);
  }
  const me = { name: user.user.displayName, address: user.user.email };
  const conversation = `AAQkAG${digest('conv-change', user.user.id, user.mail.idCounter).toString('base64url').slice(0, 40)}=`;
  for (let i = 0; i < count(c.add); i++) {
    const fields = draftMessage({ rng, me, conversations: [conversation] }, nowMs - i * 1000, false);
    const { message, change } = addMessage(user, inbox.id, fields, nowMs);
    report.mailbox.added.push(message.id);
    out.push(change);
  }
}
