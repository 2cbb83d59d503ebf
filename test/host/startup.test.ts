import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startHost, type HostOptions } from '../../dev/host/host.js';
import type { FunctionDefinition } from '../../shared/functions/definitions.js';

const repoHostJson = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'host.json');
const quiet = { hostJsonPath: repoHostJson, port: 0, env: {}, log: () => undefined } satisfies Partial<HostOptions>;
const http = (name: string, route = name): FunctionDefinition => ({
  kind: 'http',
  name,
  route,
  methods: ['GET'],
  handler: () => ({ jsonBody: { name } }),
});
const queue = (queueName: string, connection = 'AzureWebJobsStorage'): FunctionDefinition => ({
  kind: 'queue',
  name: 'worker',
  queueName,
  connection,
  handler: () => undefined,
});

// Everything is checked before the host listens or polls, so a mistake fails at start, not at 3 a.m.
describe('startHost: configuration', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('takes the port from PORT and serves under the route prefix of the given host.json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'host-json-'));
    dirs.push(dir);
    await writeFile(
      join(dir, 'host.json'),
      JSON.stringify({ version: '2.0', extensions: { http: { routePrefix: 'v1/fn' } } }),
    );
    const host = await startHost({
      ...quiet,
      port: undefined,
      env: { PORT: '0' },
      hostJsonPath: join(dir, 'host.json'),
      definitions: [http('ping')],
    });
    try {
      expect(host.port).toBeGreaterThan(0);
      expect(host.url).toBe(`http://127.0.0.1:${host.port}`);
      expect(await (await fetch(`${host.url}/v1/fn/ping`)).json()).toEqual({ name: 'ping' });
      expect((await fetch(`${host.url}/api/ping`)).status).toBe(404);
    } finally {
      await host.stop();
    }
  });

  it.each([
    ['duplicate names', { definitions: [http('a', 'x'), http('A', 'y')] }, /Two functions are named "a"/],
    [
      'an invalid route',
      { definitions: [http('a', 'x/{id:int}')] },
      /route "x\/\{id:int\}" has an unsupported segment/,
    ],
    [
      'a missing queue connection',
      { definitions: [queue('jobs')] },
      /Queue connection "AzureWebJobsStorage": set the app setting AzureWebJobsStorage/,
    ],
    [
      'an invalid queue name',
      { definitions: [queue('%Q%')], env: { Q: 'Bad_Name' } },
      /"Bad_Name" is not a valid queue name/,
    ],
    ['an unset %SETTING% in a queue name', { definitions: [queue('%Q%')] }, /app setting "Q"/],
    [
      'a bad PORT',
      { definitions: [], port: undefined, env: { PORT: 'seventy' } },
      /PORT setting\) must be an integer from 0 to 65535/,
    ],
    ['a missing host.json', { definitions: [], hostJsonPath: join(tmpdir(), 'no-such-dir', 'host.json') }, /ENOENT/],
  ])('refuses %s', async (_what, overrides, message) => {
    await expect(startHost({ ...quiet, ...overrides } as HostOptions)).rejects.toThrow(message);
  });

  it('reports a port that is already taken', async () => {
    const first = await startHost({ ...quiet, definitions: [] });
    try {
      await expect(startHost({ ...quiet, port: first.port, definitions: [] })).rejects.toThrow(
        `Cannot listen on 127.0.0.1:${first.port}: EADDRINUSE`,
      );
    } finally {
      await first.stop();
    }
  });
});
