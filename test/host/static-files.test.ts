import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../dev/host/host.js';

// The SPA's build served by the local host at `/`, beside the functions under /api.

const repoHostJson = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'host.json');

/** A raw request, so that paths like `/../x` reach the server as written (fetch would normalise them). */
function raw(host: RunningHost, method: string, path: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, method, path }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('local host: the SPA’s static files', () => {
  let host: RunningHost;
  let root: string;
  let outside: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'web-root-'));
    outside = `${root}-secret.txt`;
    await mkdir(join(root, 'assets'));
    await writeFile(join(root, 'index.html'), '<!doctype html><title>spa</title>');
    await writeFile(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(outside, 'not for the browser');
    host = await startHost({
      definitions: [
        { kind: 'http', name: 'ping', route: 'ping', methods: ['GET'], handler: () => ({ jsonBody: { pong: true } }) },
      ],
      port: 0,
      hostJsonPath: repoHostJson,
      log: () => undefined,
      staticRoot: root,
    });
  });
  afterAll(async () => {
    await host?.stop();
    await rm(root, { recursive: true, force: true });
    await rm(outside, { force: true });
  });

  it('serves index.html at / and for client-side routes such as /oauth/callback (query kept for the SPA)', async () => {
    for (const path of ['/', '/oauth/callback?code=c&state=s', '/calendar']) {
      const answer = await raw(host, 'GET', path);
      expect(answer.status, path).toBe(200);
      expect(answer.body).toBe('<!doctype html><title>spa</title>');
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(answer.headers['cache-control']).toBe('no-cache');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
      expect(answer.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('serves hashed assets as immutable, with their type; HEAD has no body', async () => {
    const js = await raw(host, 'GET', '/assets/index-abc123.js');
    expect(js).toMatchObject({ status: 200, body: 'console.log(1)' });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const head = await raw(host, 'HEAD', '/assets/index-abc123.js');
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers['content-length']).toBe('14');
  });

  it('a missing file with an extension, a path out of the folder and other methods are 404 problems', async () => {
    const name = outside.split('/').pop() as string;
    for (const [method, path] of [
      ['GET', '/assets/missing.js'],
      ['GET', `/../${name}`],
      ['GET', `/%2e%2e/${name}`],
      ['POST', '/'],
    ] as const) {
      const answer = await raw(host, method, path);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body).not.toContain('not for the browser');
      expect(answer.headers['content-type']).toBe('application/problem+json');
    }
  });

  it('leaves /api to the functions', async () => {
    expect(await raw(host, 'GET', '/api/ping')).toMatchObject({ status: 200, body: '{"pong":true}' });
    expect((await raw(host, 'GET', '/api/nothing-here')).status).toBe(404);
  });
});
