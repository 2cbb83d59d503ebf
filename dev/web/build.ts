import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeClientTypes } from './client-types.js';

// The SPA's production build: the typed client from the OpenAPI document, then Vite into web/dist
// (static files: served by the local host at /, by Azure Static Web Apps or any CDN in production).

export interface WebBuildOptions {
  /** Default web/dist. */
  outDir?: string;
  /** Vite's log level (default `info`; the tests keep it quiet). */
  logLevel?: 'info' | 'warn' | 'error' | 'silent';
  /** Regenerate the typed client first (default true; the browser tests build what is committed). */
  generateClient?: boolean;
}

/** Regenerates web/src/api/schema.d.ts when stale, then builds the SPA; returns the output folder. */
export async function buildWeb(root: string, options: WebBuildOptions = {}): Promise<string> {
  if (options.generateClient !== false && (await writeClientTypes(root)))
    console.log('[web] regenerated web/src/api/schema.d.ts');
  const webRoot = join(root, 'web');
  const outDir = options.outDir ?? join(webRoot, 'dist');
  const { build } = await import('vite');
  await build({
    root: webRoot,
    configFile: join(webRoot, 'vite.config.ts'),
    logLevel: options.logLevel ?? 'info',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

// `node dist/dev/web/build.js` (npm start, npm run web:build).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildWeb(findRoot(dirname(fileURLToPath(import.meta.url)))).catch((error: unknown) => {
    console.error('[web] build failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
