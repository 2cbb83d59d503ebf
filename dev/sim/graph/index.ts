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
import { deliver, type ChangeRecord } from './notify.js';
import { resolveMe, splitPath } from './paths.js';
import { dispatch } from './router.js';
import { UserDirectory, type UserState } from './store.js';
import { SubscriptionStore } from './subscriptions.js';
import { UTC_ZONE } from './time.js';
import { createUserState } from './users.js';

export { changesInputSchema, createUserInputSchema } from './users.js';
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
  let requestCounter = 0;

  const services: Services = {
    users,
    calendarDeltas: new DeltaRegistry<CalendarEntry>(`calendar:${seed}`),
    mailDeltas: new DeltaRegistry<MailEntry, MailSeen>(`mail:${seed}`),
    sendHttp: options.sendHttp ?? ((input, init) => fetch(input, init)),
    subscriptions,
    publish: (user: UserState, changes: ChangeRecord[]) =>
      deliver(
        services.sendHttp,
        subscriptions.byId.values(),
        user,
        changes,
        now().getTime(),
        subscriptions.nextNotificationSerial,
      ),
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
      const ctx = createCtx(req, user, services, ids);
      const segs = resolveMe(splitPath(req.path), user, users);
      return await dispatch(ctx, req.method.toUpperCase(), segs);
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
    calendarTruth(email: string, start: Date, end: Date): unknown[] {
      const cal = mustFind(email).calendar;
      return structuredClone(
        viewOf(cal, start.getTime(), end.getTime()).items.map((i) => renderEvent(i, UTC_ZONE, 'list')),
      );
    },
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
    upload: (request) => uploadChunk(users, { ...request, nowMs: now().getTime() }),
    submissions: (email) => structuredClone(mustFind(email).mail.submissions),
  };
}
