// Lets a plain `node --experimental-transform-types` child process run the project's TypeScript
// sources (tests that kill a worker process need a real process): `./x.js` imports resolve to
// `./x.ts` when only the TypeScript file exists, as tsc's NodeNext resolution assumes.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

if (!globalThis.__tsHooksRegistered) {
  globalThis.__tsHooksRegistered = true;
  register(import.meta.url, { data: {} });
}

export async function resolve(specifier, context, next) {
  if ((specifier.startsWith('.') || specifier.startsWith('/')) && specifier.endsWith('.js') && context.parentURL) {
    const url = new URL(specifier, context.parentURL);
    if (!existsSync(fileURLToPath(url))) {
      const ts = new URL(url.href.replace(/\.js$/, '.ts'));
      if (existsSync(fileURLToPath(ts))) return next(ts.href, context);
    }
  }
  return next(specifier, context);
}
