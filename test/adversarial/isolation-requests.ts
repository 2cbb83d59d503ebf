import fc from 'fast-check';
import type { Caller } from './two-callers.js';

// The fast-check model of "any request either caller could send": an endpoint, and parameters
// drawn from pools that mix the caller's own ids, the OTHER caller's ids, random UUIDs, spelling
// variants and garbage. Pool picks are indices resolved at run time, because cursors only exist
// once earlier responses have issued them (a cursor issued to one caller is replayed by the other).

export type Pick = number;
export type Spec =
  | { kind: 'list'; who: 0 | 1 }
  | { kind: 'get' | 'delete'; who: 0 | 1; id: Pick; idStyle: IdStyle }
  | { kind: 'sync'; who: 0 | 1; id: Pick; idStyle: IdStyle; syncType: string }
  | {
      kind: 'events' | 'messages';
      who: 0 | 1;
      id: Pick | null;
      idStyle: IdStyle;
      params: [string, string][];
      cursor: Pick | null;
    }
  | { kind: 'freebusy'; who: 0 | 1; id: Pick | null; idStyle: IdStyle; params: [string, string][] }
  | { kind: 'initiate'; who: 0 | 1; provider: string }
  | { kind: 'callback'; who: 0 | 1; state: string; code: string };

/** Which pool an id comes from. DELETE never targets the caller's own ids (that would end the run). */
export type IdStyle = 'own' | 'other' | 'other-upper' | 'random' | 'garbage';

const who = fc.constantFrom<0 | 1>(0, 1);
const pick = fc.nat({ max: 1_000 });
const idStyle = fc.constantFrom<IdStyle>('own', 'other', 'other', 'other-upper', 'random', 'garbage');
const foreignStyle = fc.constantFrom<IdStyle>('other', 'other-upper', 'random', 'garbage');
const queryIdStyle = fc.constantFrom<IdStyle>(
  'own',
  'own',
  'own',
  'other',
  'other',
  'other-upper',
  'random',
  'garbage',
);
/** Present one time in `every`. */
const sometimes = <T>(arb: fc.Arbitrary<T>, every: number) =>
  fc.oneof({ weight: every - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });
const DAY = 86_400_000;
const now = Date.now();
const instant = (fromDays: number, toDays: number) =>
  fc.integer({ min: now + fromDays * DAY, max: now + toDays * DAY }).map((ms) => new Date(ms).toISOString());
const SEARCH_TERMS = [
  'meeting',
  'project',
  'a',
  'e',
  'RE:',
  'update',
  "x' or PartitionKey ne '",
  "' or 1 eq 1 or '",
  'contoso',
  'shared',
  '%',
  '_',
  '*',
  '\\',
];

/** Absent half the time; when present, valid seven times in eight, so most requests reach the data. */
const param = (name: string, valid: fc.Arbitrary<string>, invalid: fc.Arbitrary<string>) =>
  fc
    .oneof(
      { weight: 8, arbitrary: fc.constant(undefined) },
      { weight: 7, arbitrary: valid },
      { weight: 1, arbitrary: invalid },
    )
    .map((v) => (v === undefined ? [] : [[name, v] as [string, string]]));
const params = (...parts: fc.Arbitrary<[string, string][]>[]) => fc.tuple(...parts).map((lists) => lists.flat());
// Small pages mostly: more cursors to replay, and the run stays well under a minute.
const limit = fc
  .oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 13, arbitrary: fc.constantFrom('1', '2', '3', '5', '10') },
    { weight: 1, arbitrary: fc.constantFrom('0', '501', 'x', '-1', '1e2') },
  )
  .map((v) => (v === undefined ? [] : [['limit', v] as [string, string]]));

/** The filters added with issue 15: present one time in five, so most requests still reach the data. */
const filter = (name: string, valid: fc.Arbitrary<string>, invalid: fc.Arbitrary<string>) =>
  fc
    .oneof(
      { weight: 40, arbitrary: fc.constant(undefined) },
      { weight: 9, arbitrary: valid },
      { weight: 1, arbitrary: invalid },
    )
    .map((v) => (v === undefined ? [] : [[name, v] as [string, string]]));
const HOSTILE = ["x' or PartitionKey ne '", "' or 1 eq 1 or '", '%', '*', '\\', 'a,b'];
const PEOPLE = ['adelev@contoso.com', 'MeganB@contoso.com', 'zoe.mueller@fabrikam.com', "o'brien@contoso.com"];
const email = (name: string) =>
  filter(name, fc.constantFrom(...PEOPLE), fc.constantFrom('not-an-email', '', 'a@b c', ...HOSTILE));
const bool = (name: string) => filter(name, fc.constantFrom('true', 'false'), fc.constantFrom('yes', '1', 'TRUE'));
const calendarIds = filter(
  'calendar_id',
  fc.constantFrom('AAMkCal1', 'AAMkCal1,AAMkCal2', "c' or 'a' eq 'a", 'x%27'),
  fc.constantFrom('', ',', 'a,,b', 'a b', 'x'.repeat(1_025)),
);
const eventParams = params(
  param('provider', fc.constant('microsoft_calendar'), fc.constantFrom('microsoft_outlook', 'google')),
  param('start_date', instant(-40, -1), instant(200, 400)),
  param('end_date', instant(1, 40), instant(-400, -200)),
  filter('search', fc.constantFrom(...SEARCH_TERMS), fc.constant('')),
  email('attendee'),
  email('organizer'),
  calendarIds,
  filter(
    'show_as',
    fc.constantFrom('free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown'),
    fc.constantFrom('Busy', "busy' or 'a' eq 'a", 'away'),
  ),
  bool('is_cancelled'),
  filter(
    'type',
    fc.constantFrom('singleInstance', 'occurrence', 'exception', 'seriesMaster'),
    fc.constantFrom('single', "occurrence' or 'a' eq 'a"),
  ),
  bool('is_online_meeting'),
  limit,
);
const freeBusyParams = params(
  param('start_date', instant(-30, -1), instant(200, 400)),
  param('end_date', instant(1, 30), instant(-400, -200)),
  calendarIds,
);
const messageParams = params(
  param('provider', fc.constant('microsoft_outlook'), fc.constantFrom('microsoft_calendar', 'outlook')),
  param('is_read', fc.constantFrom('true', 'false'), fc.constantFrom('yes', '1', 'TRUE')),
  param('search', fc.constantFrom(...SEARCH_TERMS), fc.constant('')),
  param('importance', fc.constantFrom('low', 'normal', 'high'), fc.constantFrom("high' or 'a' eq 'a", 'urgent')),
  param('received_after', instant(-40, -1), instant(-400000, -300000)),
  email('from'),
  filter('folder', fc.constantFrom('inbox', 'Inbox', 'archive', 'AAMkFolder1'), fc.constantFrom('', ...HOSTILE)),
  bool('has_attachments'),
  filter(
    'conversation_id',
    fc.constantFrom('AAQkConv1', "AAQk'or'1", 'AAQk%27'),
    fc.constantFrom('', 'a b', 'x'.repeat(1_025)),
  ),
  limit,
);

export const requestSpec: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('list' as const), who }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('get' as const), who, id: pick, idStyle }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), who, id: pick, idStyle: foreignStyle }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('sync' as const),
      who,
      id: pick,
      idStyle,
      syncType: fc.constantFrom('full', 'calendar', 'email', 'FULL', ''),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('events' as const),
      who,
      id: sometimes(pick, 2),
      idStyle: queryIdStyle,
      params: eventParams,
      cursor: sometimes(pick, 4),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('messages' as const),
      who,
      id: sometimes(pick, 2),
      idStyle: queryIdStyle,
      params: messageParams,
      cursor: sometimes(pick, 4),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('freebusy' as const),
      who,
      id: sometimes(pick, 2),
      idStyle: queryIdStyle,
      params: freeBusyParams,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('initiate' as const),
      who,
      provider: fc.constantFrom('microsoft_calendar', 'microsoft_outlook'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('callback' as const),
      who,
      state: fc.string({ minLength: 1, maxLength: 60 }),
      code: fc.string({ minLength: 1, maxLength: 60 }),
    }),
  },
);

/** The integration id a spec names, as the caller would send it. */
export function idFor(
  callers: [Caller, Caller],
  spec: { who: 0 | 1; id: Pick; idStyle: IdStyle },
  randomIds: string[],
): string {
  const own = callers[spec.who].ids;
  const other = callers[1 - spec.who]!.ids;
  switch (spec.idStyle) {
    case 'own':
      return own[spec.id % own.length]!;
    case 'other':
      return other[spec.id % other.length]!;
    case 'other-upper':
      return other[spec.id % other.length]!.toUpperCase();
    case 'random':
      return randomIds[spec.id % randomIds.length]!;
    case 'garbage':
      return ['x', '..', "' or ''='", '00000000-0000-0000-0000-000000000000', '%00', 'integrations'][spec.id % 6]!;
  }
}

/** The HTTP request a spec stands for; `cursors` are the ones earlier answers issued (to either caller). */
export function toRequest(
  callers: [Caller, Caller],
  spec: Spec,
  randomIds: string[],
  cursors: string[],
): { method: string; path: string; body?: unknown } {
  const id = (s: Extract<Spec, { id: unknown }>) =>
    encodeURIComponent(idFor(callers, { ...s, id: s.id ?? 0 }, randomIds));
  switch (spec.kind) {
    case 'list':
      return { method: 'GET', path: 'integrations' };
    case 'get':
      return { method: 'GET', path: `integrations/${id(spec)}` };
    case 'delete':
      return { method: 'DELETE', path: `integrations/${id(spec)}` };
    case 'sync':
      return { method: 'POST', path: `integrations/${id(spec)}/sync`, body: { sync_type: spec.syncType } };
    case 'initiate':
      return { method: 'POST', path: 'integrations/oauth/initiate', body: { provider: spec.provider } };
    case 'callback':
      return {
        method: 'POST',
        path: 'integrations/oauth/callback',
        body: { provider: 'microsoft_calendar', state: spec.state, code: spec.code },
      };
    case 'freebusy': {
      const query = new URLSearchParams(spec.params);
      if (spec.id !== null) query.set('integration_id', decodeURIComponent(id(spec)));
      return { method: 'GET', path: `integrations/free-busy?${query}` };
    }
    case 'events':
    case 'messages': {
      const query = new URLSearchParams(spec.params);
      if (spec.id !== null) query.set('integration_id', decodeURIComponent(id(spec)));
      if (spec.cursor !== null && cursors.length) query.set('cursor', cursors[spec.cursor % cursors.length]!);
      return {
        method: 'GET',
        path: `integrations/${spec.kind === 'events' ? 'calendar-events' : 'email-messages'}?${query}`,
      };
    }
  }
}
