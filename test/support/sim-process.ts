import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { CreateUserInput } from '../../dev/sim/contract.js';
import type { SimStats } from '../../dev/sim/stats.js';

export const REDIRECT_URI = 'https://app.example/oauth/callback';

/** The Microsoft simulator in its own process, driven over HTTPS through its /_sim controls. */
export interface SimProcess {
  baseUrl: string;
  /** The app settings that point the app at this simulator, with a freshly registered client. */
  settings: Record<string, string>;
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  createUser(input: CreateUserInput): Promise<void>;
  callerToken(email: string): Promise<string>;
  stats(): Promise<SimStats>;
  resetStats(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts `dist/dev/sim/main.js` (what `npm run sim` runs) on a free port. A separate process keeps
 * the simulator's CPU and memory out of the figures measured in the bench's own process.
 */
export async function startSimProcess(): Promise<SimProcess> {
  const clientId = randomUUID();
  const clientSecret = randomBytes(24).toString('base64url');
  const script = fileURLToPath(new URL('../../dev/sim/main.js', import.meta.url));
  const child = spawn(process.execPath, [script], {
    env: {
      ...process.env,
      SIM_PORT: '0',
      SIM_CLIENT_ID: clientId,
      SIM_CLIENT_SECRET: clientSecret,
      SIM_REDIRECT_URIS: REDIRECT_URI,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // An interrupted bench must not leave the simulator running (as dev/azurite.ts does for Azurite).
  const orphan = () => child.kill('SIGKILL');
  process.once('exit', orphan);
  child.once('exit', () => process.off('exit', orphan));
  const printed = await readSettingsLines(child);
  const baseUrl = printed.GRAPH_BASE_URL!;
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}/_sim/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`/_sim/${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    baseUrl,
    settings: {
      MICROSOFT_CLIENT_ID: clientId,
      MICROSOFT_CLIENT_SECRET: clientSecret,
      MICROSOFT_AUTHORITY_HOST: printed.MICROSOFT_AUTHORITY_HOST!,
      MICROSOFT_TENANT_ID: printed.MICROSOFT_TENANT_ID!,
      GRAPH_BASE_URL: baseUrl,
      AUTH_MODE: 'jwt',
      AUTH_ISSUER: printed.AUTH_ISSUER!,
      AUTH_AUDIENCE: printed.AUTH_AUDIENCE!,
      AUTH_JWKS_URI: printed.AUTH_JWKS_URI!,
      OAUTH_REDIRECT_URIS: REDIRECT_URI,
    },
    control,
    createUser: async (input) => void (await control('POST', 'users', input)),
    callerToken: async (email) => (await control('POST', 'caller-token', { email })).access_token,
    stats: () => control('GET', 'stats'),
    resetStats: async () => void (await control('DELETE', 'stats')),
    close: () => stop(child),
  };
}

const WANTED = [
  'MICROSOFT_AUTHORITY_HOST',
  'MICROSOFT_TENANT_ID',
  'GRAPH_BASE_URL',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'AUTH_JWKS_URI',
];

/** main.ts prints `  NAME=value` lines once it listens; the last one is AUTH_JWKS_URI. */
function readSettingsLines(child: ChildProcess): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const found: Record<string, string> = {};
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error('the simulator did not start within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`the simulator exited (code ${code})`)));
    lines.on('line', (line) => {
      const m = /^\s+([A-Z_]+)=(\S+)$/.exec(line);
      if (m && WANTED.includes(m[1]!)) found[m[1]!] = m[2]!;
      if (WANTED.every((k) => found[k])) {
        clearTimeout(timer);
        resolve(found);
      }
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => (clearTimeout(force), resolve()));
    child.kill('SIGTERM');
  });
}
