import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testTokenKey } from '../support/settings.js';

// Issue 19, finding 1, acceptance: `npm start` with AUTH_MODE=easyauth and no platform
// authentication refuses to start, naming the setting. Runs dev/start.ts (what `npm start` runs,
// compiled) in a child process; a storage connection string that is not Azurite's keeps Azurite off.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const args = [
    '--experimental-transform-types',
    '--no-warnings',
    '--import',
    join(root, 'test', 'support', 'ts-hooks.mjs'),
    join(root, 'dev', 'start.ts'),
  ];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '',
      AzureWebJobsStorage:
        'DefaultEndpointsProtocol=http;AccountName=none;AccountKey=bm9uZQ==;TableEndpoint=http://127.0.0.1:9/none',
      AUTH_MODE: 'easyauth',
      PORT: '0',
      SIM_PORT: '0',
      TOKEN_ENCRYPTION_KEY: testTokenKey,
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => child.on('exit', (code) => (clearTimeout(timer), resolve({ code, output }))));
}

describe('npm start with AUTH_MODE=easyauth', () => {
  it('refuses to start without platform authentication, naming WEBSITE_AUTH_ENABLED (configured app)', async () => {
    const { code, output } = await start({ MICROSOFT_CLIENT_ID: 'c', MICROSOFT_CLIENT_SECRET: 's' });
    expect(code, output).toBe(1);
    expect(output).toMatch(/\[start\] setting WEBSITE_AUTH_ENABLED: .*App Service Authentication/);
    expect(output).not.toMatch(/\[start\] ready/);
  }, 70_000);

  it('refuses in demo mode too: an explicit easyauth is not swapped for jwt', async () => {
    const { code, output } = await start({});
    expect(code, output).toBe(1);
    expect(output).toMatch(/\[start\] setting WEBSITE_AUTH_ENABLED/);
    expect(output).not.toMatch(/\[start\] ready/);
  }, 70_000);
});
