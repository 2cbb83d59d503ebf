// `npm start`: the app as it runs in Azure, on this machine. Azurite (persistent, in .local/),
// the Microsoft simulator when no Microsoft app is configured (demo mode), and the local
// Functions host serving functions/ on PORT (7071).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { needsDevCertificate, relaunchTrustingDevCertificate } from './trust-dev-cert.js';
import { localSettings } from './local-settings.js';

// The folder with package.json: two levels up compiled (dist/dev/), one from the source (dev/).
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}
const root = findRoot(dirname(fileURLToPath(import.meta.url)));

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

  if (!env.MICROSOFT_CLIENT_ID) await startDemoSimulator(env, stops);

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
  const [{ startHost }, { definitions }, { startTelemetryFromSettings }] = await Promise.all([
    import('./host/host.js'),
    import('../functions/all.js'),
    import('../shared/root.js'),
  ]);
  await startTelemetryFromSettings(); // as functions/index.ts does in Azure; nothing without the setting
  const host = await startHost({ definitions, hostJsonPath: join(root, 'host.json') });
  stops.unshift(host.stop);
  console.log(`[start] ready: ${host.url}/api/health`);
  const shutdown = async () => {
    for (const stop of stops) await stop().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

/** Demo mode: the simulator stands in for Microsoft, with the app registered and a demo user seeded. */
async function startDemoSimulator(
  env: Record<string, string | undefined>,
  stops: (() => Promise<void>)[],
): Promise<void> {
  const { startSimulator } = await import('./sim/server.js');
  const sim = await startSimulator({ port: Number(env.SIM_PORT ?? 7443) });
  stops.push(sim.close);
  const redirectUris = (env.OAUTH_REDIRECT_URIS ?? 'http://localhost:5173/oauth/callback')
    .split(',')
    .map((u) => u.trim());
  const clientSecret = randomBytes(24).toString('base64url');
  sim.registerApp({ client_id: 'integrato-demo', client_secret: clientSecret, redirect_uris: redirectUris });
  const email = 'demo@contoso.example';
  sim.createUser({
    email,
    display_name: 'Demo User',
    calendar: { events: 60, recurring_series: 4, all_day: 5 },
    mailbox: { messages: 120 },
  });
  Object.assign(env, {
    MICROSOFT_CLIENT_ID: 'integrato-demo',
    MICROSOFT_CLIENT_SECRET: clientSecret,
    MICROSOFT_AUTHORITY_HOST: sim.authorityHost,
    GRAPH_BASE_URL: sim.graphBaseUrl,
    OAUTH_REDIRECT_URIS: redirectUris.join(','),
  });
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
  if (ownIssuer) {
    console.log(
      `[start]   callers: tokens of AUTH_ISSUER ${env.AUTH_ISSUER}; Microsoft account ${email} in the simulator`,
    );
    return;
  }
  console.log(`[start]   caller token for ${email} (valid 1 h):`);
  console.log(await sim.callerToken(email));
}

main().catch((error: unknown) => {
  console.error('[start] failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
