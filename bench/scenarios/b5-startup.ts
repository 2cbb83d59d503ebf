import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { fmt, ms, times, type Options, type ScenarioResult } from '../lib/report.js';
import { median, ratio } from '../lib/stats.js';

const GOAL = 3;
/** Packages that must not load at start-up: each is imported where it is first used. */
const HEAVY = [
  '@azure/msal-node',
  '@microsoft/microsoft-graph-client',
  '@azure/data-tables',
  '@azure/storage-queue',
  '@azure/identity',
  '@azure/keyvault-secrets',
  '@azure/monitor-opentelemetry',
  'jose',
];

interface Probe {
  ms: number;
  wallMs: number;
  packages: string[];
}

/** Runs the probe in a fresh Node process with the settings of a configured app (no telemetry). */
function probe(target: string, list = false): Promise<Probe> {
  const script = fileURLToPath(new URL('../startup-probe.js', import.meta.url));
  const env = {
    PATH: process.env.PATH ?? '',
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    MICROSOFT_CLIENT_ID: 'bench',
    MICROSOFT_CLIENT_SECRET: 'bench',
    OAUTH_REDIRECT_URIS: 'https://app.example/oauth/callback',
    AUTH_MODE: 'easyauth',
    WEBSITE_AUTH_ENABLED: 'True',
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [script, target, ...(list ? ['--list'] : [])],
      { env, maxBuffer: 1 << 24 },
      (error, stdout) => {
        const wallMs = performance.now() - started;
        const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
        if (error || !line) return reject(error ?? new Error(`the ${target} probe printed no result`));
        resolve({ ...(JSON.parse(line.slice('BENCH_RESULT '.length)) as Omit<Probe, 'wallMs'>), wallMs });
      },
    );
  });
}

/** B5: importing the app (its entry point, and its definitions alone) against @azure/functions alone. */
export async function runB5(options: Options): Promise<ScenarioResult> {
  const reps = options.quick ? 5 : 15;
  const samples: Record<string, Probe[]> = { entry: [], definitions: [], functions: [], zod: [], otel: [] };
  for (let i = 0; i < reps; i++) {
    const order = ['functions', 'entry', 'definitions', 'zod', 'otel'];
    for (let k = 0; k < order.length; k++) {
      const target = order[(k + i) % order.length]!; // rotate who goes first
      samples[target]!.push(await probe(target));
    }
  }
  const listed = await probe('entry', true);
  const heavyLoaded = HEAVY.filter((p) => listed.packages.includes(p));
  const m = (t: string) => median(samples[t]!.map((s) => s.ms));
  const wall = (t: string) => median(samples[t]!.map((s) => s.wallMs));
  const entryRatio = ratio(m('entry'), m('functions'));
  const extras = [
    ['zod', 'zod'],
    ['@opentelemetry/api', 'otel'],
  ]
    .filter(([pkg]) => listed.packages.includes(pkg!))
    .map(([pkg, t]) => `${pkg} ${ms(m(t!))}`);
  return {
    id: 'B5',
    title: 'start-up',
    params: { reps },
    figures: {
      import_ms: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.map((s) => s.ms)])),
      process_wall_ms: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.map((s) => s.wallMs)])),
      packages_loaded_by_entry: listed.packages,
      heavy_loaded_at_startup: heavyLoaded,
    },
    rows: [
      {
        metric: `import of the entry point functions/index.js (median of ${reps})`,
        ours: ms(m('entry')),
        reference: ms(m('functions')),
        ratio: times(entryRatio),
        goal: `≤ ${GOAL}× @azure/functions`,
        met: entryRatio <= GOAL,
      },
      {
        metric: 'import of the definitions functions/all.js alone',
        ours: ms(m('definitions')),
        reference: ms(m('functions')),
        ratio: times(ratio(m('definitions'), m('functions'))),
        goal: '',
      },
      {
        metric: 'packages the entry point loads besides @azure/functions, each imported alone',
        ours: extras.join(' / ') || 'none',
        reference: '',
        ratio: '',
        goal: '',
      },
      {
        metric: 'whole process, spawn to exit (entry point)',
        ours: ms(wall('entry')),
        reference: ms(wall('functions')),
        ratio: times(ratio(wall('entry'), wall('functions'))),
        goal: '',
      },
      {
        metric: 'heavy SDKs loaded at start-up',
        ours: heavyLoaded.length ? heavyLoaded.join(', ') : 'none',
        reference: '',
        ratio: '',
        goal: 'none (load on first use)',
        met: heavyLoaded.length === 0,
      },
    ],
    notes: [
      `Each figure is a fresh Node process importing one module (settings of a configured app, APPLICATIONINSIGHTS_CONNECTION_STRING unset); the targets are interleaved, rotating which goes first. Packages loaded by the entry point: ${listed.packages.join(', ') || 'none'}. Checked for: ${HEAVY.join(', ')}.`,
      `Total packages the entry point loads: ${fmt(listed.packages.length, 0)}.`,
    ],
  };
}
