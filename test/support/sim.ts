import { randomBytes, randomUUID } from 'node:crypto';
import { startSimulator, type Simulator, type StartSimulatorOptions } from '../../dev/sim/server.js';

export interface TestSimulatorOptions extends Omit<StartSimulatorOptions, 'apps'> {
  /** The app's OAuth redirect URI (default `https://app.example/oauth/callback`). */
  redirectUri?: string;
  clientId?: string;
}

/** The app settings (shared/config.ts names) that point the app at the simulator. */
export interface SimulatorSettings {
  MICROSOFT_CLIENT_ID: string;
  MICROSOFT_CLIENT_SECRET: string;
  MICROSOFT_AUTHORITY_HOST: string;
  MICROSOFT_TENANT_ID: string;
  GRAPH_BASE_URL: string;
  AUTH_ISSUER: string;
  AUTH_AUDIENCE: string;
  AUTH_JWKS_URI: string;
  OAUTH_REDIRECT_URIS: string;
}

export interface TestSimulator {
  sim: Simulator;
  settings: SimulatorSettings;
}

/**
 * Starts the simulator on a free port with one registered app (fresh client id and secret) and
 * returns the settings for the app under test. Call `sim.close()` in afterAll.
 */
export async function startTestSimulator(options: TestSimulatorOptions = {}): Promise<TestSimulator> {
  const { redirectUri = 'https://app.example/oauth/callback', clientId = randomUUID(), ...start } = options;
  const clientSecret = randomBytes(24).toString('base64url');
  const sim = await startSimulator({
    ...start,
    apps: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri] }],
  });
  return {
    sim,
    settings: {
      MICROSOFT_CLIENT_ID: clientId,
      MICROSOFT_CLIENT_SECRET: clientSecret,
      MICROSOFT_AUTHORITY_HOST: sim.authorityHost,
      MICROSOFT_TENANT_ID: sim.tenantId,
      GRAPH_BASE_URL: sim.graphBaseUrl,
      AUTH_ISSUER: sim.callerIssuer,
      AUTH_AUDIENCE: sim.callerAudience,
      AUTH_JWKS_URI: sim.callerJwksUri,
      OAUTH_REDIRECT_URIS: redirectUri,
    },
  };
}

/** What the authorize endpoint sent the browser back with. */
export interface AuthorizeOutcome {
  status: number;
  /** The redirect's query (`code`, `state`, or `error`, `error_description`), when it redirected. */
  params?: URLSearchParams;
  /** The page's HTML, when it did not redirect (consent page or error page). */
  page?: string;
}

/** Plays the browser: opens an authorize URL and reports where it was sent (no redirect followed). */
export async function openAuthorizeUrl(url: string): Promise<AuthorizeOutcome> {
  const res = await fetch(url, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status >= 300 && res.status < 400 && location) {
    await res.body?.cancel();
    return { status: res.status, params: new URL(location).searchParams };
  }
  return { status: res.status, page: await res.text() };
}
