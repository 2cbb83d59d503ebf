import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A running Azurite (blob, queue, table) on free loopback ports. */
export interface Azurite {
  /** Shared-key connection string for the well-known development account, all three endpoints. */
  connectionString: string;
  blobPort: number;
  queuePort: number;
  tablePort: number;
  /** Stops the process and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same ports (data survives only with `persistDir`). */
  start(): Promise<void>;
}

// The published development-storage key: not a secret, identical on every machine.
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 30_000;
// Two levels up from dev/ (source) and from dist/dev/ (compiled) alike: find the folder with package.json.
const repoRoot = findRoot(dirname(fileURLToPath(import.meta.url)));

// A test worker that dies without stop() must not leave emulators behind.
const children = new Set<ChildProcess>();
process.once('exit', () => children.forEach((c) => c.kill('SIGKILL')));

/**
 * Spawns Azurite with in-memory storage (or `--location persistDir`), waits until all three services
 * accept connections, and returns its connection string. `--skipApiVersionCheck` lets the current
 * SDKs talk to it even when they are newer than the emulator.
 */
export async function startAzurite(options: { persistDir?: string } = {}): Promise<Azurite> {
  const storage = options.persistDir ? ['--location', options.persistDir] : ['--inMemoryPersistence'];
  const argsFor = ({ blob, queue, table }: Ports) => [
    '--silent',
    ...storage,
    '--disableTelemetry',
    '--skipApiVersionCheck',
    '--loose',
    '--blobHost',
    HOST,
    '--blobPort',
    String(blob),
    '--queueHost',
    HOST,
    '--queuePort',
    String(queue),
    '--tableHost',
    HOST,
    '--tablePort',
    String(table),
  ];
  // Another process may grab a port between our probe and Azurite's bind: try fresh ports then.
  let ports: Ports | undefined;
  let child: ChildProcess | undefined;
  for (let attempt = 1; !child; attempt++) {
    ports = await freePorts();
    try {
      child = await launch(argsFor(ports), ports);
    } catch (error) {
      if (attempt >= 3 || !String(error).includes('EADDRINUSE')) throw error;
    }
  }
  const { blob, queue, table } = ports!;
  const endpoint = (service: string, port: number) => `${service}Endpoint=http://${HOST}:${port}/${ACCOUNT};`;
  return {
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};` +
      endpoint('Blob', blob) +
      endpoint('Queue', queue) +
      endpoint('Table', table),
    blobPort: blob,
    queuePort: queue,
    tablePort: table,
    start: async () => {
      child ??= await launch(argsFor(ports!), ports!);
    },
    stop: async () => {
      const running = child;
      child = undefined;
      if (running) await terminate(running);
    },
  };
}

interface Ports {
  blob: number;
  queue: number;
  table: number;
}

async function launch(args: string[], ports: Ports): Promise<ChildProcess> {
  // The .bin entry is a `#!/usr/bin/env node` script; running it with this process's own Node
  // guarantees Node 22 whatever PATH says.
  const script = realpathSync(join(repoRoot, 'node_modules', '.bin', 'azurite'));
  const child = spawn(process.execPath, [script, ...args], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`Azurite exited early (code ${code}): ${stderr.trim()}`))),
  );
  exited.catch(() => undefined);
  try {
    await Promise.race([Promise.all([ports.blob, ports.queue, ports.table].map(waitForPort)), exited]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return child;
}

async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Azurite did not listen on ${HOST}:${port} within ${READY_TIMEOUT_MS} ms`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => (socket.destroy(), resolve(false)));
  });
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => (clearTimeout(force), resolve()));
    child.kill('SIGTERM');
  });
}

/** Asks the OS for three distinct free ports by holding all three listeners open at once. */
async function freePorts(): Promise<Ports> {
  const servers = await Promise.all(
    [0, 1, 2].map(
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, HOST, () => resolve(server));
        }),
    ),
  );
  const [blob = 0, queue = 0, table = 0] = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return { blob, queue, table };
}

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + from);
    dir = up;
  }
  return dir;
}
