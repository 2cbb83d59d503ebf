import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

// The SPA's built files (web/dist), served on the host's own origin beside /api, as Azure Static Web
// Apps or a CDN would serve them in production. Only what is in the folder is served.

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

// Nothing framed, no sniffing, no Referer (the OAuth callback's URL carries the code until the SPA posts it).
const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/**
 * Answers GET/HEAD for a file under `root`; any other path without a file extension gets index.html
 * (the SPA's client-side routes, e.g. /oauth/callback). Returns false when it did not answer.
 */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, pathname: string) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const base = resolve(root);
  let relative: string;
  try {
    relative = normalize(decodeURIComponent(pathname)).replace(/^[/\\]+/, '');
  } catch {
    return false;
  }
  const candidate = resolve(base, relative);
  if (candidate !== base && !candidate.startsWith(base + sep)) return false;
  const file = (await isFile(candidate)) ? candidate : extname(relative) === '' ? join(base, 'index.html') : undefined;
  if (!file || !(await isFile(file))) return false;
  const size = (await stat(file)).size;
  res.statusCode = 200;
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
  res.setHeader('Content-Length', size);
  // Vite names assets by content hash: they never change. index.html always revalidates.
  res.setHeader(
    'Cache-Control',
    file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
  );
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  await new Promise<void>((done, fail) => {
    createReadStream(file).on('error', fail).pipe(res).on('finish', done).on('error', fail);
  });
  return true;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
