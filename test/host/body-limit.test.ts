import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../dev/host/host.js';
import type { FunctionDefinition } from '../../shared/functions/definitions.js';

const repoHostJson = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'host.json');

// Azure's host refuses bodies over FUNCTIONS_REQUEST_BODY_SIZE_LIMIT (default 100 MB) before the
// worker sees them; the deployment lowers it, and the local host must honour the same setting.
describe('local host: FUNCTIONS_REQUEST_BODY_SIZE_LIMIT', () => {
  let host: RunningHost;
  let calls = 0;
  const definitions: FunctionDefinition[] = [
    {
      kind: 'http',
      name: 'upload',
      route: 'upload',
      methods: ['POST'],
      handler: async (req) => (calls++, { jsonBody: { bytes: (await req.arrayBuffer()).byteLength } }),
    },
  ];
  beforeAll(async () => {
    const env = { FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: '1000' };
    host = await startHost({ definitions, port: 0, hostJsonPath: repoHostJson, env, log: () => undefined });
  });
  afterAll(async () => host?.stop());

  it('refuses a body over the limit with 413 before the function runs, and serves one under it', async () => {
    const over = await fetch(`${host.url}/api/upload`, { method: 'POST', body: 'x'.repeat(1001) });
    expect(over.status).toBe(413);
    expect(await over.json()).toMatchObject({ code: 'payload_too_large' });
    expect(calls).toBe(0);
    const under = await fetch(`${host.url}/api/upload`, { method: 'POST', body: 'x'.repeat(1000) });
    expect(under.status).toBe(200);
    expect(await under.json()).toEqual({ bytes: 1000 });
  });

  it('fails start-up naming the setting when it is not a positive number of bytes', async () => {
    const env = { FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: '4MB' };
    await expect(startHost({ definitions, port: 0, hostJsonPath: repoHostJson, env })).rejects.toThrow(
      /FUNCTIONS_REQUEST_BODY_SIZE_LIMIT/,
    );
  });
});
