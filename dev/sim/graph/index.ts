import type {
  ChangeReport,
  ChangesInput,
  CreateUserInput,
  GraphRequest,
  GraphResponse,
  GraphService,
  SimUser,
} from '../contract.js';
import { renderEvent, viewOf } from './calendar-view.js';
import { uploadChunk } from './attachments.js';
import { applyChanges } from './changes.js';
import { createCtx, type CalendarEntry, type MailEntry, type MailSeen, type Services } from './context.js';
import { DeltaRegistry } from './delta-token.js';
import { errorResponse, GraphError, type RequestIds } from './errors.js';
import { guidOf } from './ids.js';
import { messageJsonFor } from './message-json.js';
import { DeliverySettings } from './delivery-settings.js';
import { DeliveryEngine } from './delivery.js';
import { Lifecycle } from './lifecycle.js';
import { publish, type ChangeRecord } from './notify.js';
import { createRealtimeControls } from './realtime-controls.js';
import { resolveMe, splitPath } from './paths.js';
import { dispatch } from './router.js';
import { UserDirectory, type UserState } from './store.js';
import { SubscriptionStore } from './subscriptions.js';
import { seededRandom } from '../rng.js';
import { UTC_ZONE } from './time.js';
import { createUserState } from './users.js';
import { calendarControls, UnknownCalendarError } from './calendar-controls.js';
import { resolveShared } from './calendars-api.js';

export { changesInputSchema, createUserInputSchema } from './users.js';
export { notificationSettingsSchema } from './delivery-settings.js';
export { UnknownCalendarError } from './calendar-controls.js';
export { tooManyRequests, errorBody, GraphError } from './errors.js';
export { SIM_TENANT_ID, SIM_APPLICATION_ID } from './ids.js';

export interface GraphServiceOptions {
  /** Seeds every generated id and sample (default 1). */
  seed?: number;
  /** The simulator's clock (default the real one). */
  now?: () => Date;
  /** Used for subscription validation and change notifications (default global fetch). */
  sendHttp?: typeof fetch;
}

/** Thrown by applyChanges/calendarTruth/mailboxTruth for an unknown user. */
export class UnknownUserError extends Error {
  constructor(who: string) {
    super(`No simulated user '${who}'.`);
    this.name = 'UnknownUserError';
  }
}

/** The simulator's Microsoft 365 data and Graph v1.0 API (see dev/sim/contract.ts). */
export function createGraphService(options: GraphServiceOptions = {}): GraphService {
  const seed = options.seed ?? 1;
  const now = options.now ?? (() => new Date());
  const users = new UserDirectory();
  const subscriptions = new SubscriptionStore(seed);
  const settings = new DeliverySettings();
  const nowMs = (): number => now().getTime();
  const sendHttp: typeof fetch = options.sendHttp ?? ((input, init) => fetch(input, init));
  const engine = new DeliveryEngine({
    subscriptions,
    settings,
    sendHttp: () => sendHttp,
    nowMs,
    random: seededRandom(seed),
    // Reached only once a delivery is given up, long after `services` exists.
    onDropped: (sub) => void services.lifecycle.send(sub, 'missed'),
  });
  const lifecycle = new Lifecycle(subscriptions, engine, settings, nowMs);
  let requestCounter = 0;

  const services: Services = {
    users,
    calendarDeltas: new DeltaRegistry<CalendarEntry>(`calendar:${seed}`),
    mailDeltas: new DeltaRegistry<MailEntry, MailSeen>(`mail:${seed}`),
    sendHttp,
    subscriptions,
    settings,
    lifecycle,
    publish: (user: UserState, changes: ChangeRecord[]) =>
      publish(engine, settings, subscriptions, user, changes, nowMs()),
    route: handle,
  };

  async function handle(req: GraphRequest): Promise<GraphResponse> {
    const requestId = guidOf('request', seed, requestCounter++);
    const ids: RequestIds = {
      requestId,
      clientRequestId: req.headers['client-request-id'] ?? requestId,
      nowMs: now().getTime(),
    };
    try {
      const user = users.find(req.user.id);
      if (!user)
        throw new GraphError(
          401,
          'InvalidAuthenticationToken',
          'Access token validation failure: the user is unknown.',
        );
      const method = req.method.toUpperCase();
      const path = splitPath(req.path);
      const shared = resolveShared(path, user, users, req.scopes, method);
      if (shared) {
        const { owner, calendarId, role } = shared.access;
        const ctx = createCtx(req, owner, services, ids, { caller: user, calendarId, role });
        return await dispatch(ctx, method, shared.segments);
      }
      const ctx = createCtx(req, user, services, ids);
      const segs = resolveMe(path, user, users);
      return await dispatch(ctx, method, segs);
    } catch (err) {
      if (err instanceof GraphError) return errorResponse(err, ids);
      console.error('[graph-sim] unexpected error', err instanceof Error ? err.stack : String(err));
      return errorResponse(new GraphError(500, 'generalException', 'An unexpected error occurred.'), ids);
    }
  }

  const mustFind = (emailOrId: string): UserState => {
    const u = users.find(emailOrId);
    if (!u) throw new UnknownUserError(emailOrId);
    return u;
  };

  return {
    createUser(input: CreateUserInput): SimUser {
      // Creating an existing user again is a no-op, so demo seeding can be re-run safely.
      const existing = users.find(input.email.trim());
      if (existing) return { ...existing.user };
      const state = createUserState(input, seed, now().getTime());
      users.add(state);
      return { ...state.user };
    },
    findUser: (emailOrId) => {
      const u = users.find(emailOrId);
      return u ? { ...u.user } : undefined;
    },
    listUsers: () => users.all().map((u) => ({ ...u.user })),
    handle,
    applyChanges(email: string, changes: ChangesInput): ChangeReport {
      const user = mustFind(email);
      return applyChanges(user, changes, now().getTime(), (c) => services.publish(user, c));
    },
    calendarTruth(email: string, start: Date, end: Date, calendarId?: string): unknown[] {
      const user = mustFind(email);
      const cal = calendarId === undefined ? user.calendar : user.calendars.get(calendarId)?.state;
      if (!cal) throw new UnknownCalendarError(calendarId ?? '');
      return structuredClone(
        viewOf(cal, start.getTime(), end.getTime()).items.map((i) => renderEvent(i, UTC_ZONE, 'list')),
      );
    },
    ...calendarControls({ users, mustFind, nowMs: () => now().getTime(), publish: services.publish }),
    mailboxTruth(email: string): unknown[] {
      const messages = [...mustFind(email).mail.messages.values()];
      messages.sort((a, b) => b.fields.receivedMs - a.fields.receivedMs || (a.id < b.id ? -1 : 1));
      // The truth speaks immutable ids, as the app asks for them; unmoved messages have one id anyway.
      return structuredClone(messages.map((m) => messageJsonFor(m, true)));
    },
    expireDeltaTokens(): void {
      services.calendarDeltas.expireAll();
      services.mailDeltas.expireAll();
    },
    realtime: createRealtimeControls({ subs: subscriptions, settings, engine, lifecycle, user: mustFind, nowMs }),
    upload: (request) => uploadChunk(users, { ...request, nowMs: now().getTime() }),
    submissions: (email) => structuredClone(mustFind(email).mail.submissions),
  };
}
