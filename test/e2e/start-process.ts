import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

/** `npm start`'s launcher (dev/start.ts) running in a child process from the TypeScript sources. */
export interface StartedApp {
  /** `http://127.0.0.1:PORT` of the local Functions host. */
  url: string;
  /** The simulator's base URL in demo mode. */
  simUrl: string | undefined;
  /** Every line the launcher printed (stdout and stderr). */
  lines: string[];
  stop(): Promise<void>;
}

/**
 * Runs dev/start.ts as `npm start` runs its compiled form, with exactly `env` (plus PATH), and
 * waits until it prints that the host is ready. Settings the launcher reads from
 * local.settings.json.example are not repeated here.
 */
export async function startLauncher(env: Record<string, string>, timeoutMs = 90_000): Promise<StartedApp> {
  const args = [
    '--experimental-transform-types',
    '--no-warnings',
    '--import',
    join(root, 'test', 'support', 'ts-hooks.mjs'),
    join(root, 'dev', 'start.ts'),
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      SIM_PORT: '0',
      SYNC_SCHEDULE: '0 0 0 1 1 *',
      SUBSCRIPTION_RENEWAL_SCHEDULE: '0 0 0 1 1 *',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`launcher not ready after ${timeoutMs} ms:\n${lines.join('\n')}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        lines.push(line);
        const m = /\[start\] ready: (http:\/\/\S+)\/api\/health/.exec(line);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`launcher exited (${code}) before it was ready:\n${lines.join('\n')}`));
    });
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    const url = await ready;
    const simLine = lines.find((l) => l.includes('the Microsoft simulator (not Microsoft) answers on'));
    return { url, simUrl: /answers on (https:\/\/\S+)/.exec(simLine ?? '')?.[1], lines, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
