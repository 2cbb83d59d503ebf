import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ensureDevCertificate } from '../certs.mjs';
import type { CreateUserInput, GraphService, SimUser } from './contract.js';
import { controlRoutes } from './controls/routes.js';
import { Faults } from './faults.js';
import { createGraphService, SIM_TENANT_ID } from './graph/index.js';
import { handleGraph } from './graph-front.js';
import { AppRegistry, type AppRegistration } from './identity/apps.js';
import type { ConsentBehaviour, IdentityContext } from './identity/context.js';
import { GrantStore } from './identity/grants.js';
import { GraphTokenChecker } from './identity/graph-token-check.js';
import { TokenIssuer, type CallerTokenOptions } from './identity/issuer.js';
import { createSigningKeys } from './identity/keys.js';
import { identityRoutes } from './identity/routes.js';
import { parseScopes } from './identity/scopes.js';
import { originOf, simOrigins } from './origin.js';
import { SimRequestHandler } from './request-handler.js';
import { Stats, type SimStats } from './stats.js';

export interface StartSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Authorize redirects back at once (default), or shows a consent page. */
  autoConsent?: boolean;
  /** Seeds the Graph data and the fault RNG (default 1). */
  seed?: number;
  apps?: AppRegistration[];
  /** Replaces the Graph service; for unit tests of the front only. */
  graph?: GraphService;
}

/** A running Microsoft simulator: identity platform + Graph v1.0 on one HTTPS origin. */
export interface Simulator {
  /** `https://localhost:PORT`. It answers as `https://127.0.0.1:PORT` too, naming that host in what it returns. */
  baseUrl: string;
  port: number;
  /** MSAL's authority host (the authority is `${authorityHost}/${tenantId}`). */
  authorityHost: string;
  /** Graph's base URL (requests go to `${graphBaseUrl}/v1.0/...`). */
  graphBaseUrl: string;
  tenantId: string;
  /** The issuer, audience and JWKS of the demo SPA's tokens for the app's API. */
  callerIssuer: string;
  callerAudience: string;
  callerJwksUri: string;
  graph: GraphService;
  registerApp(app: AppRegistration): void;
  createUser(input: CreateUserInput): SimUser;
  /** A token the SPA would send to the app's API (aud `api://integrato` unless overridden). */
  callerToken(email: string, overrides?: CallerTokenOptions): Promise<string>;
  /** A Graph access token for a user, as the token endpoint would issue it (tests that skip OAuth). */
  graphAccessToken(email: string, scopes?: string[], clientId?: string): Promise<string>;
  stats(): SimStats;
  close(): Promise<void>;
}

const CALLER_AUDIENCE = 'api://integrato';
const DEFAULT_TEST_SCOPES = ['User.Read', 'Calendars.Read', 'Mail.Read'];

export async function startSimulator(options: StartSimulatorOptions = {}): Promise<Simulator> {
  const { cert, key } = await ensureDevCertificate();
  const seed = options.seed ?? 1;
  const graph = options.graph ?? createGraphService({ seed });
  const keys = await createSigningKeys();
  const apps = new AppRegistry();
  for (const app of options.apps ?? []) apps.register(app);
  const grants = new GrantStore();
  const stats = new Stats();
  const faults = new Faults(seed, () => graph.expireDeltaTokens());
  const consent: ConsentBehaviour = { auto: options.autoConsent ?? true };

  const handler = new SimRequestHandler(stats);
  const server: Server = createServer({ cert, key }, (req, res) => void handler.handle(req, res));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origins = simOrigins(port);
  const baseUrl = origins[0] ?? `https://localhost:${port}`;
  const tenantId = SIM_TENANT_ID;
  const issuer = new TokenIssuer(baseUrl, tenantId, keys, CALLER_AUDIENCE);
  // Graph accepts the access tokens the token endpoint issued under either name.
  const graphFront = {
    graph,
    tokens: new GraphTokenChecker(
      keys,
      origins.map((o) => issuer.issuerAt(o)),
    ),
    faults,
    stats,
  };
  const identity: IdentityContext = { tenantId, apps, grants, issuer, graph, consent };
  handler.mount(
    {
      identity: identityRoutes(identity),
      graph: (req, facts) => handleGraph(graphFront, req, facts),
      controls: controlRoutes({ graph, apps, grants, issuer, consent, faults, stats }),
    },
    (host) => originOf(host, port),
  );

  const userOrThrow = (email: string): SimUser => {
    const user = graph.findUser(email);
    if (!user) throw new Error(`No simulated user ${email}`);
    return user;
  };
  return {
    baseUrl,
    port,
    authorityHost: baseUrl,
    graphBaseUrl: baseUrl,
    tenantId,
    callerIssuer: issuer.issuer,
    callerAudience: CALLER_AUDIENCE,
    callerJwksUri: `${baseUrl}/${tenantId}/discovery/v2.0/keys`,
    graph,
    registerApp: (app) => void apps.register(app),
    createUser: (input) => graph.createUser(input),
    callerToken: (email, overrides) => issuer.callerToken(userOrThrow(email), overrides),
    graphAccessToken: (email, scopes = DEFAULT_TEST_SCOPES, clientId = 'sim-test-client') =>
      issuer.graphAccessToken(
        userOrThrow(email),
        clientId,
        parseScopes(scopes.join(' ')).graph,
        grants.lifetimes.access_token_ttl_s,
      ),
    stats: () => stats.snapshot(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
