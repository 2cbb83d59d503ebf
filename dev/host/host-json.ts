import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { z } from 'zod';

/** The parts of host.json the local host acts on, with the Functions host's documented defaults filled in. */
export interface HostConfig {
  routePrefix: string;
  /** null: no limit (`"-1"`). */
  functionTimeoutMs: number | null;
  queues: QueuesConfig;
}

export interface QueuesConfig {
  batchSize: number;
  newBatchThreshold: number;
  maxPollingIntervalMs: number;
  visibilityTimeoutMs: number;
  maxDequeueCount: number;
  messageEncoding: 'base64' | 'none';
}

// .NET TimeSpan text as host.json writes it: [d.]hh:mm:ss[.fffffff].
const TIMESPAN = /^(?:(\d+)\.)?(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,7}))?$/;

export function parseTimeSpan(text: string): number | undefined {
  const m = TIMESPAN.exec(text.trim());
  if (!m) return undefined;
  const [, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = ''] = m;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) return undefined;
  const ms = Math.round(Number(`0.${fraction || '0'}`) * 1000);
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000 + ms;
}

const timeSpan = (min: number, max: number, unbounded = false) =>
  z.string().transform((text, ctx): number => {
    if (unbounded && text.trim() === '-1') return Infinity;
    const ms = parseTimeSpan(text);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not a TimeSpan (hh:mm:ss)` });
      return z.NEVER;
    }
    if (ms < min || ms > max) {
      ctx.addIssue({ code: 'custom', message: `must be between ${min} ms and ${max} ms` });
      return z.NEVER;
    }
    return ms;
  });

const SEVEN_DAYS = 7 * 24 * 3600_000;

const queuesSchema = z
  .looseObject({
    batchSize: z.number().int().min(1).max(32).default(16),
    newBatchThreshold: z.number().int().min(0).optional(),
    maxPollingInterval: timeSpan(100, SEVEN_DAYS).default(60_000),
    visibilityTimeout: timeSpan(0, SEVEN_DAYS).default(0),
    maxDequeueCount: z.number().int().min(1).default(5),
    messageEncoding: z.enum(['base64', 'none']).default('base64'),
  })
  .transform((q): QueuesConfig => ({
    batchSize: q.batchSize,
    // Documented default: N * batchSize / 2, N being the number of vCPUs.
    newBatchThreshold: q.newBatchThreshold ?? Math.floor((availableParallelism() * q.batchSize) / 2),
    maxPollingIntervalMs: q.maxPollingInterval,
    visibilityTimeoutMs: q.visibilityTimeout,
    maxDequeueCount: q.maxDequeueCount,
    messageEncoding: q.messageEncoding,
  }));

export const hostJsonSchema = z
  .looseObject({
    version: z.literal('2.0'),
    // Flex Consumption (the deployment target) defaults to 30 minutes; "-1" means unbounded.
    functionTimeout: timeSpan(1000, SEVEN_DAYS, true).default(30 * 60_000),
    logging: z.looseObject({}).optional(),
    extensionBundle: z.looseObject({ id: z.string().min(1), version: z.string().min(1) }).optional(),
    extensions: z
      .looseObject({
        http: z
          .looseObject({
            routePrefix: z
              .string()
              .regex(/^[A-Za-z0-9._~/-]*$/)
              .default('api'),
          })
          .prefault({}),
        queues: queuesSchema.prefault({}),
      })
      .prefault({}),
  })
  .transform((h): HostConfig => ({
    routePrefix: h.extensions.http.routePrefix.replace(/^\/+|\/+$/g, ''),
    functionTimeoutMs: Number.isFinite(h.functionTimeout) ? h.functionTimeout : null,
    queues: h.extensions.queues,
  }));

/** Parses host.json text; throws an Error naming every bad field. */
export function parseHostJson(text: string, source = 'host.json'): HostConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not valid JSON`);
  }
  const result = hostJsonSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${source} is not valid:\n${lines.join('\n')}`);
  }
  return result.data;
}

export async function loadHostJson(path: string): Promise<HostConfig> {
  return parseHostJson(await readFile(path, 'utf8'), path);
}
