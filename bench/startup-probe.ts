// B5's probe, one fresh process per measurement: `node startup-probe.js <target> [--list]`.
// Prints one line `BENCH_RESULT {...}`: how long the import took and, with --list, which
// packages under node_modules it loaded.
import { registerHooks } from 'node:module';

const targets: Record<string, string> = {
  // The app's entry point ("main"): telemetry set-up, every definition, registration.
  entry: '../functions/index.js',
  // The definitions alone (functions/all.ts), as the local host imports them.
  definitions: '../functions/all.js',
  // The reference: the Functions programming model package alone.
  functions: '@azure/functions',
  // Where the rest goes: the two packages the entry point loads besides @azure/functions.
  zod: 'zod',
  otel: '@opentelemetry/api',
};

const target = targets[process.argv[2] ?? ''];
if (!target) throw new Error(`target must be one of ${Object.keys(targets).join(', ')}`);

const packages = new Set<string>();
if (process.argv.includes('--list')) {
  registerHooks({
    resolve(specifier, context, next) {
      const resolved = next(specifier, context);
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(resolved.url);
      if (m) packages.add(m[1]!);
      return resolved;
    },
  });
}

const started = performance.now();
await import(target);
const ms = performance.now() - started;
console.log(`BENCH_RESULT ${JSON.stringify({ ms, packages: [...packages].sort() })}`);
process.exit(0);
