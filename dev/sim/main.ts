// `npm run sim`: the Microsoft simulator as a standalone process for the local host and demos.
import { z } from 'zod';
import { startSimulator } from './server.js';

const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0),
);
const envSchema = z.object({
  SIM_PORT: z.coerce.number().int().min(0).max(65535).default(7443),
  SIM_HOST: z.string().trim().min(1).default('127.0.0.1'),
  SIM_SEED: z.coerce.number().int().min(0).default(1),
  SIM_CLIENT_ID: z.string().trim().min(1).optional(),
  SIM_CLIENT_SECRET: z.string().min(1).optional(),
  SIM_REDIRECT_URIS: csv.pipe(z.array(z.url({ protocol: /^https?$/ })).min(1)).optional(),
});

const DEMO_USER = 'demo@contoso.example';

async function main(): Promise<void> {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    // Names the setting, never its value (the secret is one of them).
    for (const issue of parsed.error.issues) console.error(`Invalid ${String(issue.path[0])}: ${issue.message}`);
    process.exit(2);
  }
  const env = parsed.data;
  const sim = await startSimulator({ port: env.SIM_PORT, host: env.SIM_HOST, seed: env.SIM_SEED });
  if (env.SIM_CLIENT_ID && env.SIM_CLIENT_SECRET && env.SIM_REDIRECT_URIS) {
    sim.registerApp({
      client_id: env.SIM_CLIENT_ID,
      client_secret: env.SIM_CLIENT_SECRET,
      redirect_uris: env.SIM_REDIRECT_URIS,
    });
    console.log(`registered app ${env.SIM_CLIENT_ID} (redirect URIs: ${env.SIM_REDIRECT_URIS.join(', ')})`);
  } else if (env.SIM_CLIENT_ID || env.SIM_CLIENT_SECRET || env.SIM_REDIRECT_URIS) {
    console.warn(
      'SIM_CLIENT_ID, SIM_CLIENT_SECRET and SIM_REDIRECT_URIS go together; no app registered (use POST /_sim/apps).',
    );
  }
  const demo = sim.createUser({
    email: DEMO_USER,
    display_name: 'Demo User',
    calendar: { events: 40, recurring_series: 3, all_day: 4 },
    mailbox: { messages: 60 },
  });
  console.log(`Microsoft simulator on ${sim.baseUrl}`);
  console.log(`  MICROSOFT_AUTHORITY_HOST=${sim.authorityHost}`);
  console.log(`  MICROSOFT_TENANT_ID=${sim.tenantId}`);
  console.log(`  GRAPH_BASE_URL=${sim.graphBaseUrl}`);
  console.log(`  AUTH_ISSUER=${sim.callerIssuer}`);
  console.log(`  AUTH_AUDIENCE=${sim.callerAudience}`);
  console.log(`  AUTH_JWKS_URI=${sim.callerJwksUri}`);
  console.log(`  demo user: ${demo.email} (${demo.id}); controls under ${sim.baseUrl}/_sim`);

  const stop = (): void => {
    void sim.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
