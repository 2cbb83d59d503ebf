import type { Server } from 'node:http';
import { join } from 'node:path';
import { z } from 'zod';
import type {
  FunctionDefinition,
  HttpFunction,
  QueueFunction,
  TimerFunction,
} from '../../shared/functions/definitions.js';
import { resolveSettings, type Env } from './app-settings.js';
import { loadHostJson } from './host-json.js';
import { createFunctionsHttpServer } from './http-server.js';
import type { LogLine } from './invocation.js';
import { parseNcrontab } from './ncrontab.js';
import { queueServiceFor } from './queue-connection.js';
import { QueueListener } from './queue-listener.js';
import { TimerRunner } from './timer-runner.js';

export interface HostOptions {
  definitions: FunctionDefinition[];
  /** Default: the PORT setting, else 7071. 0 picks a free port. */
  port?: number;
  /** Default: host.json in the working directory. */
  hostJsonPath?: string;
  /** App settings: `%NAME%` expressions and queue connections. Default: process.env. */
  env?: Env;
  /** Receives one line per invocation and the handlers' context.log output. Default: console.log. */
  log?: LogLine;
  /**
   * How long a queue message stays hidden while it is processed (default: the runtime's 10 min).
   * Tests of crash recovery shorten it so a killed host's message comes back quickly.
   */
  messageLeaseMs?: number;
  /** The SPA's built files, served at `/` beside the API (SPA fallback to index.html). */
  staticRoot?: string;
}

export interface RunningHost {
  /** `http://127.0.0.1:<port>`; functions are under `<url>/<routePrefix>/`. */
  url: string;
  port: number;
  /** Stops the triggers, waits for invocations in flight, closes the HTTP server. */
  stop(): Promise<void>;
}

const portSchema = z.coerce.number().int().min(0).max(65535);
const QUEUE_NAME = /^(?=.{3,56}$)[a-z0-9]+(-[a-z0-9]+)*$/; // leaves room for "-poison" within 63

/** The host's request body limit, as Azure's FUNCTIONS_REQUEST_BODY_SIZE_LIMIT app setting (bytes). */
function bodyLimit(env: Env): number | undefined {
  const raw = env.FUNCTIONS_REQUEST_BODY_SIZE_LIMIT;
  if (raw === undefined || raw.trim() === '') return undefined;
  const bytes = Number(raw);
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new Error('The app setting FUNCTIONS_REQUEST_BODY_SIZE_LIMIT must be a positive whole number of bytes');
  }
  return bytes;
}

/**
 * Runs the function definitions locally with the Functions host's semantics (HTTP under the route
 * prefix, NCRONTAB timers, queue triggers with poison handling), configured by host.json. Every
 * definition is checked before anything starts, so a bad route, schedule or setting fails here.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));
  const config = await loadHostJson(options.hostJsonPath ?? join(process.cwd(), 'host.json'));
  const port = portSchema.safeParse(options.port ?? env.PORT ?? 7071);
  if (!port.success) throw new Error('The port (option or PORT setting) must be an integer from 0 to 65535');
  const defs = options.definitions;
  const names = defs.map((d) => d.name.toLowerCase());
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new Error(`Two functions are named "${duplicate}"`);

  const http = createFunctionsHttpServer({
    functions: defs.filter((d): d is HttpFunction => d.kind === 'http'),
    routePrefix: config.routePrefix,
    functionTimeoutMs: config.functionTimeoutMs,
    maxBodyBytes: bodyLimit(env),
    log,
    staticRoot: options.staticRoot,
  });
  const timers = defs
    .filter((d): d is TimerFunction => d.kind === 'timer')
    .map((fn) => {
      const schedule = parseNcrontab(resolveSettings(fn.schedule, env, `Function "${fn.name}" schedule`));
      return new TimerRunner(fn, schedule, config.functionTimeoutMs, log);
    });
  const queues = await Promise.all(
    defs
      .filter((d): d is QueueFunction => d.kind === 'queue')
      .map(async (fn) => {
        const queueName = resolveSettings(fn.queueName, env, `Function "${fn.name}" queueName`);
        if (!QUEUE_NAME.test(queueName))
          throw new Error(`Function "${fn.name}": "${queueName}" is not a valid queue name`);
        const service = await queueServiceFor(fn.connection, env);
        return new QueueListener({
          fn,
          queueName,
          service,
          config: config.queues,
          functionTimeoutMs: config.functionTimeoutMs,
          log,
          leaseMs: options.messageLeaseMs,
        });
      }),
  );

  const boundPort = await listen(http.server, port.data);
  const url = `http://127.0.0.1:${boundPort}`;
  await Promise.all(queues.map((q) => q.start()));
  timers.forEach((t) => t.start());
  log(describe(defs, `${url}${config.routePrefix ? `/${config.routePrefix}` : ''}`));

  let stopping: Promise<void> | undefined;
  return {
    url,
    port: boundPort,
    stop: () =>
      (stopping ??= Promise.all([...timers.map((t) => t.stop()), ...queues.map((q) => q.stop()), http.close()]).then(
        () => undefined,
      )),
  };
}

// Loopback only: the local host is for development and tests, never a public endpoint.
function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`Cannot listen on 127.0.0.1:${port}: ${error.code ?? error.message}`)),
    );
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function describe(defs: FunctionDefinition[], base: string): string {
  const lines = defs.map((d) =>
    d.kind === 'http'
      ? `  ${d.name}: [${d.methods.join(',')}] ${base}/${d.route}`
      : d.kind === 'timer'
        ? `  ${d.name}: timerTrigger (${d.schedule})`
        : `  ${d.name}: queueTrigger (${d.queueName})`,
  );
  return `Functions host started (${defs.length} functions):\n${lines.join('\n')}`;
}
