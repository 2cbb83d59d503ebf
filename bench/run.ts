// `npm run bench [-- --quick] [--only B1,B3]`: every scenario against Azurite and the simulator on
// this machine; prints a table and writes bench/results/latest.json. See BENCHMARKS.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { relaunchTrustingDevCertificate } from '../dev/trust-dev-cert.js';
import { commit, machine } from './lib/machine.js';
import { markdownTable, type Options, type ScenarioResult } from './lib/report.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

const scenarios: Record<string, () => Promise<(o: Options) => Promise<ScenarioResult | ScenarioResult[]>>> = {
  B1: async () => (await import('./scenarios/b1-steady.js')).runB1,
  B2: async () => (await import('./scenarios/b2-initial.js')).runB2,
  B3: async () => (await import('./scenarios/b3-queries.js')).runB3AndL1,
  B4: async () => (await import('./scenarios/b4-fanout.js')).runB4,
  B5: async () => (await import('./scenarios/b5-startup.js')).runB5,
  B8: async () => (await import('./scenarios/b8-free-busy.js')).runB8,
  H1: async () => (await import('./scenarios/h1-hostile-body.js')).runH1,
  B6: async () => (await import('./scenarios/b6-realtime.js')).runB6,
  B7S: async () => (await import('./scenarios/b7-send.js')).runB7Send,
};

function parseArgs(argv: string[]): { quick: boolean; only: string[] } {
  const quick = argv.includes('--quick');
  const onlyArg = argv.find((a) => a.startsWith('--only'));
  const list = onlyArg?.includes('=') ? onlyArg.split('=')[1] : onlyArg ? argv[argv.indexOf(onlyArg) + 1] : undefined;
  const only = list
    ? list
        .toUpperCase()
        .split(',')
        .map((s) => (s === 'L1' ? 'B3' : s))
    : Object.keys(scenarios);
  const unknown = only.filter((s) => !scenarios[s]);
  if (unknown.length)
    throw new Error(
      `unknown scenario ${unknown.join(', ')} (known: ${Object.keys(scenarios).join(', ')}, L1 runs with B3)`,
    );
  return { quick, only };
}

async function main(): Promise<void> {
  if (await relaunchTrustingDevCertificate()) return;
  // Exiting (rather than dying of the signal) runs the 'exit' hooks that stop Azurite, the
  // simulator and task processes.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  const { quick, only } = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  console.log(
    `[bench] ${quick ? 'QUICK run (small sizes, short load: figures are indicative only)' : 'full run'}: ${only.join(', ')}`,
  );
  const results: ScenarioResult[] = [];
  const failures: { id: string; error: string }[] = [];
  for (const id of only) {
    const t0 = performance.now();
    console.log(`[bench] ${id} …`);
    try {
      const run = await scenarios[id]!();
      const produced = await run({ quick });
      for (const r of Array.isArray(produced) ? produced : [produced]) {
        r.seconds = Math.round((performance.now() - t0) / 100) / 10;
        results.push(r);
        console.log(`[bench] ${r.id} done in ${r.seconds} s`);
      }
    } catch (error) {
      // One broken scenario must not cost the others' figures: recorded, and the exit code says so.
      const message = error instanceof Error ? error.message : String(error);
      failures.push({ id, error: message });
      console.error(`[bench] ${id} FAILED: ${message}`);
    }
  }
  const report = {
    mode: quick ? 'quick' : 'full',
    started_at: startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    ...commit(root),
    machine: machine(),
    scenarios: Object.fromEntries(results.map((r) => [r.id, r])),
    failures,
  };
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  const file = join(root, 'bench', 'results', 'latest.json');
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  const m = report.machine;
  console.log(
    `\nCommit ${report.commit}${report.dirty ? ' (working tree has uncommitted changes)' : ''}; ${m.cores} cores (${m.cpu_model}), ${m.memory_gib} GiB, Node ${m.node}; ${report.mode} run\n`,
  );
  console.log(markdownTable(results));
  for (const r of results) for (const note of r.notes) console.log(`\n${r.id}: ${note}`);
  console.log(`\n[bench] wrote ${file}`);
  for (const f of failures) console.error(`[bench] ${f.id} failed: ${f.error}`);
  // Keep-alive sockets of the SDKs would hold the process open.
  process.exit(failures.length ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error('[bench] failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
