// `npm start`: the app as it runs in Azure, on this machine. Azurite (persistent, in .local/),
// the Microsoft simulator when no Microsoft app is configured (demo mode), and the local
// Functions host serving functions/ on PORT (7071).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { needsDevCertificate, relaunchTrustingDevCertificate } from './trust-dev-cert.js';
import { localSettings } from './local-settings.js';
import type { HttpFunction } from '../shared/functions/definitions.js';

// The folder with package.json: two levels up compiled (dist/dev/), one from the source (dev/).
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}
const root = findRoot(dirname(fileURLToPath(import.meta.url)));
/** Demo mode on a port picked at start: WEBHOOK_BASE_URL follows the host's actual port. */
let demoWebhook = false;

async function main(): Promise<void> {
  const env = localSettings(root, process.env);
  // The simulator, Azurite and http://localhost SPAs are development endpoints (shared/config-production.ts).
  env.ALLOW_DEV_ENDPOINTS ??= 'true';
  // As infra/main.bicep: a send with 25 MB of attachments (base64) is the largest body (MAX_SEND_BODY_BYTES).
  env.FUNCTIONS_REQUEST_BODY_SIZE_LIMIT ??= '41943040';
  // Only a run that talks to a local stand-in relaunches; real Microsoft settings start as they are.
  if (await relaunchTrustingDevCertificate(needsDevCertificate(env))) return;
  const stops: (() => Promise<void>)[] = [];

  const { startAzurite } = await import('./azurite.js');
  if (
    !env.AzureWebJobsStorage__accountName &&
    (!env.AzureWebJobsStorage || env.AzureWebJobsStorage === 'UseDevelopmentStorage=true')
  ) {
    const azurite = await startAzurite({ persistDir: join(root, '.local', 'azurite') });
    env.AzureWebJobsStorage = azurite.connectionString;
    stops.push(azurite.stop);
    console.log(
      `[start] Azurite (data in .local/azurite): tables on ${azurite.tablePort}, queues on ${azurite.queuePort}`,
    );
  }

  const demo = env.MICROSOFT_CLIENT_ID ? undefined : await startDemoSimulator(env, stops);

  Object.assign(process.env, env);
  const { parseSettings, ConfigError } = await import('../shared/config.js');
  try {
    parseSettings(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const issue of error.issues) console.error(`[start] setting ${issue.setting}: ${issue.message}`);
    await Promise.all(stops.map((stop) => stop()));
    process.exit(1);
  }
  const [{ startHost }, { definitions }, { startTelemetryFromSettings, resetRoot }] = await Promise.all([
    import('./host/host.js'),
    import('../functions/all.js'),
    import('../shared/root.js'),
  ]);
  await startTelemetryFromSettings(); // as functions/index.ts does in Azure; nothing without the setting
  // The SPA (web/dist, built by `npm start` before this runs) on the same origin as the API.
  const web = join(root, 'web', 'dist');
  const staticRoot = existsSync(join(web, 'index.html')) ? web : undefined;
  const host = await startHost({
    definitions: demo ? [...definitions, ...demo.functions] : definitions,
    hostJsonPath: join(root, 'host.json'),
    staticRoot,
  });
  stops.unshift(host.stop);
  if (demoWebhook) {
    // Before the first invocation: the settings are parsed again with the real port.
    process.env.WEBHOOK_BASE_URL = host.url;
    resetRoot();
  }
  if (staticRoot) console.log(`[start] the SPA: http://localhost:${host.port}/`);
  else console.log('[start] no SPA build in web/dist (npm start builds it; npm run web:build alone)');
  console.log(`[start] ready: ${host.url}/api/health`);
  const shutdown = async () => {
    for (const stop of stops) await stop().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

/** Demo mode: the simulator stands in for Microsoft, with the app registered and demo users seeded. */
async function startDemoSimulator(
  env: Record<string, string | undefined>,
  stops: (() => Promise<void>)[],
): Promise<{ functions: HttpFunction[] }> {
  const { startSimulator } = await import('./sim/server.js');
  const sim = await startSimulator({ port: Number(env.SIM_PORT ?? 7443) });
  stops.push(sim.close);
  // The configured SPAs (the first stays the default), then the SPA this host serves (localhost or
  // 127.0.0.1) and Vite's dev server (npm run web:dev): the simulator has no registration portal to add them.
  const port = env.PORT ?? '7071';
  const spaCallbacks = [`http://localhost:${port}`, `http://127.0.0.1:${port}`, 'http://localhost:5173'];
  const configured = (env.OAUTH_REDIRECT_URIS ?? '').split(',').map((u) => u.trim());
  const redirectUris = [...new Set([...configured, ...spaCallbacks.map((o) => `${o}/oauth/callback`)])].filter(Boolean);
  const clientSecret = randomBytes(24).toString('base64url');
  sim.registerApp({ client_id: 'integrato-demo', client_secret: clientSecret, redirect_uris: redirectUris });
  const email = 'demo@contoso.example';
  const users = [
    { email, display_name: 'Demo User' },
    { email: 'megan@contoso.example', display_name: 'Megan Bowen' },
  ];
  for (const user of users) {
    sim.createUser({
      ...user,
      calendar: { events: 60, recurring_series: 4, all_day: 5 },
      mailbox: { messages: 120 },
    });
  }
  Object.assign(env, {
    MICROSOFT_CLIENT_ID: 'integrato-demo',
    MICROSOFT_CLIENT_SECRET: clientSecret,
    MICROSOFT_AUTHORITY_HOST: sim.authorityHost,
    GRAPH_BASE_URL: sim.graphBaseUrl,
    OAUTH_REDIRECT_URIS: redirectUris.join(','),
  });
  // Real time against the simulator: it delivers change notifications to the local host (loopback
  // http). With PORT=0 the host's port is known only once it listens: main() sets the base then.
  if (!env.WEBHOOK_BASE_URL) {
    env.WEBHOOK_BASE_URL = `http://127.0.0.1:${Number(env.PORT ?? 7071) || 7071}`;
    demoWebhook = Number(env.PORT ?? 7071) === 0;
  }
  // A configured AUTH_ISSUER (the SPA's own identity provider, a staging issuer) signs the callers;
  // otherwise the simulator does, and prints a token for the demo user.
  const ownIssuer = Boolean(env.AUTH_ISSUER);
  if (!ownIssuer) {
    Object.assign(env, {
      // An explicit easyauth is kept, so that its start-up rule (WEBSITE_AUTH_ENABLED) applies here too.
      AUTH_MODE: env.AUTH_MODE === 'easyauth' ? 'easyauth' : 'jwt',
      AUTH_ISSUER: sim.callerIssuer,
      AUTH_AUDIENCE: sim.callerAudience,
      AUTH_JWKS_URI: sim.callerJwksUri,
    });
  }
  console.log(
    `[start] demo mode: MICROSOFT_CLIENT_ID is not set, so the Microsoft simulator (not Microsoft) answers on ${sim.baseUrl}`,
  );
  console.log(`[start]   simulator controls: ${sim.baseUrl}/_sim (see README)`);
  console.log(
    `[start]   change notifications: the simulator posts to ${demoWebhook ? 'the local host' : env.WEBHOOK_BASE_URL}/api/integrations/notifications`,
  );
  if (ownIssuer) {
    console.log(
      `[start]   callers: tokens of AUTH_ISSUER ${env.AUTH_ISSUER}; Microsoft account ${email} in the simulator`,
    );
    return { functions: [] };
  }
  console.log(`[start]   caller token for ${email} (valid 1 h):`);
  console.log(await sim.callerToken(email));
  // The SPA's demo sign-in: pick a seeded user, the simulator issues the caller token.
  const { demoSignInFunctions } = await import('./demo/demo-sign-in.js');
  return { functions: demoSignInFunctions(sim, users) };
}

main().catch((error: unknown) => {
  console.error('[start] failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
