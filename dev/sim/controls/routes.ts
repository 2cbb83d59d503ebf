import type { GraphService, SimUser } from '../contract.js';
import type { Faults } from '../faults.js';
import { faultSettingsSchema } from '../faults.js';
import { json, type SimRequest, type SimResponse } from '../http.js';
import { appRegistrationSchema, type AppRegistry } from '../identity/apps.js';
import type { ConsentBehaviour } from '../identity/context.js';
import type { GrantStore } from '../identity/grants.js';
import type { TokenIssuer } from '../identity/issuer.js';
import type { Stats } from '../stats.js';
import { realtimeRoutes, type ControlHandler } from './realtime-routes.js';
import { calendarControlRoutes } from './calendar-routes.js';
import { ControlError, controlErrorResponse, notFound, parseBody, parseWith } from './respond.js';
import {
  calendarTruthQuerySchema,
  callerTokenSchema,
  changesSchema,
  consentSchema,
  createUserSchema,
  tokenLifetimesSchema,
} from './schemas.js';

export interface ControlDeps {
  graph: GraphService;
  apps: AppRegistry;
  grants: GrantStore;
  issuer: TokenIssuer;
  consent: ConsentBehaviour;
  faults: Faults;
  stats: Stats;
}

type Handler = ControlHandler;

/** The `/_sim` control API: JSON in and out, zod-validated, never counted in the stats. */
export function controlRoutes(d: ControlDeps): (req: SimRequest) => Promise<SimResponse> {
  const user = (email: string): SimUser => d.graph.findUser(email) ?? throwing(notFound(`User ${email}`));
  const routes: [string, RegExp, Handler][] = [
    [
      'POST',
      /^\/_sim\/apps$/,
      (req) => {
        const app = d.apps.register(parseBody(req, appRegistrationSchema));
        return json(201, { client_id: app.client_id, redirect_uris: app.redirect_uris });
      },
    ],
    ['GET', /^\/_sim\/users$/, () => json(200, { value: d.graph.listUsers() })],
    [
      'POST',
      /^\/_sim\/users$/,
      (req) => {
        const input = parseBody(req, createUserSchema);
        if (d.graph.findUser(input.email))
          throw new ControlError(409, 'conflict', `User ${input.email} already exists.`);
        return json(201, d.graph.createUser(input));
      },
    ],
    [
      'POST',
      /^\/_sim\/caller-token$/,
      async (req) => {
        const { email, ...options } = parseBody(req, callerTokenSchema);
        const accessToken = await d.issuer.callerToken(user(email), options);
        return json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: options.expires_in ?? 3600 });
      },
    ],
    [
      'POST',
      /^\/_sim\/users\/([^/]+)\/changes$/,
      (req, [email = '']) => {
        const changes = parseBody(req, changesSchema);
        return json(200, d.graph.applyChanges(user(email).email, changes));
      },
    ],
    [
      'GET',
      /^\/_sim\/users\/([^/]+)\/calendar$/,
      (req, [email = '']) => {
        const q = parseWith(calendarTruthQuerySchema, Object.fromEntries(req.url.searchParams));
        return json(200, { value: d.graph.calendarTruth(user(email).email, new Date(q.start), new Date(q.end)) });
      },
    ],
    [
      'GET',
      /^\/_sim\/users\/([^/]+)\/mailbox$/,
      (_req, [email = '']) => json(200, { value: d.graph.mailboxTruth(user(email).email) }),
    ],
    [
      'GET',
      /^\/_sim\/users\/([^/]+)\/sent$/,
      (_req, [email = '']) => json(200, { value: d.graph.submissions(user(email).email) }),
    ],
    [
      'POST',
      /^\/_sim\/users\/([^/]+)\/revoke$/,
      (_req, [email = '']) => json(200, { revoked_refresh_tokens: d.grants.revoke(user(email).id) }),
    ],
    ...calendarControlRoutes(d.graph, user),
    ['GET', /^\/_sim\/consent$/, () => json(200, d.consent)],
    [
      'POST',
      /^\/_sim\/consent$/,
      (req) => {
        const body = parseBody(req, consentSchema);
        if (body.auto !== undefined) d.consent.auto = body.auto;
        if (body.next !== undefined) d.consent.next = body.next;
        if (body.withhold_next !== undefined) d.consent.withholdNext = body.withhold_next;
        return json(200, d.consent);
      },
    ],
    ['GET', /^\/_sim\/tokens$/, () => json(200, d.grants.lifetimes)],
    [
      'POST',
      /^\/_sim\/tokens$/,
      (req) => {
        d.grants.lifetimes = { ...d.grants.lifetimes, ...stripUndefined(parseBody(req, tokenLifetimesSchema)) };
        return json(200, d.grants.lifetimes);
      },
    ],
    ['GET', /^\/_sim\/faults$/, () => json(200, d.faults.describe())],
    [
      'POST',
      /^\/_sim\/faults$/,
      (req) => {
        d.faults.set(parseBody(req, faultSettingsSchema));
        return json(200, d.faults.describe());
      },
    ],
    [
      'DELETE',
      /^\/_sim\/faults$/,
      () => {
        d.faults.clear();
        return { status: 204 };
      },
    ],
    ...realtimeRoutes(d.graph, user),
    ['GET', /^\/_sim\/stats$/, () => json(200, d.stats.snapshot())],
    [
      'DELETE',
      /^\/_sim\/stats$/,
      () => {
        d.stats.reset();
        return { status: 204 };
      },
    ],
  ];

  return async (req) => {
    try {
      const matching = routes
        .map(([method, pattern, handler]) => ({ method, handler, m: pattern.exec(req.url.pathname) }))
        .filter((r) => r.m);
      if (matching.length === 0) throw notFound(`Control ${req.url.pathname}`);
      const route = matching.find((r) => r.method === req.method);
      if (!route?.m)
        throw new ControlError(405, 'method_not_allowed', `Use ${matching.map((r) => r.method).join(' or ')}.`);
      return await route.handler(req, route.m.slice(1).map(decodeParam));
    } catch (error) {
      if (error instanceof ControlError) return controlErrorResponse(error);
      throw error;
    }
  };
}

function throwing(error: Error): never {
  throw error;
}

function decodeParam(p: string | undefined): string {
  try {
    return decodeURIComponent(p ?? '');
  } catch {
    throw new ControlError(400, 'validation_failed', 'A path parameter is not valid percent-encoding.');
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
