import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventToRow, type StoredEvent } from '../../shared/items/event.js';
import { eventRowKey, itemId } from '../../shared/items/keys.js';
import { startStack, type Stack } from '../support/stack.js';
import { syncSucceeded } from '../support/truth.js';

// Free/busy's rules on stored rows the simulator cannot produce: the caller's declined events,
// rows stored before show_as existed, cancelled and free ones, and two integrations merged.

const EMAIL = 'busy-rows@contoso.example';
const OTHER = 'busy-rows-2@contoso.example';
const H = 3600 * 1000;
const base = Date.UTC(2030, 0, 7, 8); // far from any seeded event
let stack: Stack;
let token: string;
let ids: string[];

function event(integrationId: string, n: number, startH: number, endH: number, showAs: StoredEvent['showAs']) {
  const externalId = `AAMk-busy-${n}`;
  const record: StoredEvent = {
    id: itemId(integrationId, externalId),
    externalId,
    changeKey: 'ck',
    title: `Event ${n}`,
    description: '',
    descriptionTruncated: false,
    startMs: base + startH * H,
    endMs: base + endH * H,
    isAllDay: false,
    timeZone: 'UTC',
    timeZoneIana: 'Etc/UTC',
    location: '',
    attendees: [],
    attendeesTotal: 0,
    organizer: null,
    isCancelled: false,
    type: 'singleInstance',
    seriesMasterId: null,
    webLink: '',
    createdAt: new Date(base).toISOString(),
    modifiedAt: new Date(base).toISOString(),
    showAs,
    isOnlineMeeting: false,
    onlineMeetingUrl: null,
    categories: [],
  };
  return eventToRow(integrationId, eventRowKey(record.startMs, record.endMs, record.id), record);
}

const without = (row: object, column: string) =>
  Object.fromEntries(Object.entries(row).filter(([key]) => key !== column));

beforeAll(async () => {
  stack = await startStack();
  const empty = { events: 0, recurring_series: 0, all_day: 0 };
  stack.user(EMAIL, { email: EMAIL, calendar: empty });
  stack.user(OTHER, { email: OTHER, calendar: empty });
  token = await stack.callerToken(EMAIL);
  ids = [
    (await stack.connect(EMAIL, 'microsoft_calendar')).body.id,
    (await stack.connect(EMAIL, 'microsoft_calendar', OTHER)).body.id,
  ];
  for (const id of ids) await syncSucceeded(stack, token, id);
  const table = TableClient.fromConnectionString(stack.direct, 'CalendarEvents', { allowInsecureConnection: true });
  const [a, b] = ids as [string, string];
  const rows = [
    event(a, 1, 0, 2, 'tentative'), // 08–10 tentative …
    event(b, 2, 1, 3, 'busy'), // … 09–11 busy in the other calendar wins where they overlap
    { ...event(a, 3, 1, 2, 'oof'), myResponse: 'declined' }, // declined: does not count
    { ...event(a, 4, 2.5, 4, 'oof'), isCancelled: true }, // cancelled: does not count
    event(a, 5, 3, 4, 'free'), // free: does not count
    event(b, 6, 4, 5, 'workingElsewhere'),
    event(a, 7, 5, 6, 'workingElsewhere'), // touching the same status: one interval 12–14
    without(event(a, 8, 7, 8, 'busy'), 'showAs'), // stored before showAs: unknown
    event(a, 9, 9, 30, 'oof'), // runs past the window's end: cut there
  ];
  for (const row of rows) await table.upsertEntity(row as Parameters<TableClient['upsertEntity']>[0], 'Replace');
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

const at = (h: number) => new Date(base + h * H).toISOString().replace('.000Z', 'Z');
const busy = async (params: Record<string, string>) => {
  const res = await stack.api('GET', `integrations/free-busy?${new URLSearchParams(params)}`, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

describe('free/busy over stored rows', () => {
  it('merges both calendars, keeps the strongest status, leaves out declined, cancelled, free and unknown', async () => {
    const body = await busy({ start_date: at(-1), end_date: at(12) });
    expect(body.busy).toEqual([
      { start: at(0), end: at(1), status: 'tentative' },
      { start: at(1), end: at(3), status: 'busy' },
      { start: at(4), end: at(6), status: 'workingElsewhere' },
      { start: at(9), end: at(12), status: 'oof' },
    ]);
    expect(body.working_hours).toBeNull(); // no mailbox settings stored (yet)
  });

  it('integration_id narrows to one integration; the window cuts intervals', async () => {
    const body = await busy({ start_date: at(0.5), end_date: at(6), integration_id: ids[0]! });
    expect(body.busy).toEqual([
      { start: at(0.5), end: at(2), status: 'tentative' },
      { start: at(5), end: at(6), status: 'workingElsewhere' },
    ]);
  });
});
