import type { LogLevel, TriggerMetadata } from '@azure/functions';
import { InvocationContext } from './functions-lib.js';
import { randomUUID } from 'node:crypto';
import { format } from 'node:util';

export type LogLine = (line: string) => void;
export type TriggerType = 'httpTrigger' | 'timerTrigger' | 'queueTrigger';

/** An InvocationContext as the worker builds it; the handler's own context.log lines go to `log`. */
export function createContext(
  functionName: string,
  triggerType: TriggerType,
  log: LogLine,
  triggerMetadata?: TriggerMetadata,
): InvocationContext {
  return new InvocationContext({
    functionName,
    invocationId: randomUUID(),
    triggerMetadata,
    options: { trigger: { type: triggerType, name: triggerType } },
    logHandler: (level: LogLevel, ...args: unknown[]) => log(`[${functionName}] ${level}: ${format(...args)}`),
  });
}

export class FunctionTimeoutError extends Error {
  constructor(functionName: string, timeoutMs: number) {
    super(`Function '${functionName}' exceeded functionTimeout (${timeoutMs} ms)`);
    this.name = 'FunctionTimeoutError';
  }
}

/**
 * Runs a handler under host.json's functionTimeout. Like the runtime, the host gives up on the
 * invocation (it counts as failed) but cannot stop code that is still running.
 */
export async function runHandler<T>(
  functionName: string,
  timeoutMs: number | null,
  run: () => T | Promise<T>,
): Promise<T> {
  if (timeoutMs === null) return await run();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FunctionTimeoutError(functionName, timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(run), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface InvocationRecord {
  functionName: string;
  invocationId: string;
  startedAt: number;
  succeeded: boolean;
  status?: number;
  error?: unknown;
}

/**
 * The one line logged per invocation, shaped like the Functions host's "Executed" line. It names
 * the error's type only: messages, headers, query strings and bodies may carry tokens or codes.
 */
export function formatInvocation(r: InvocationRecord): string {
  const parts = [r.succeeded ? 'Succeeded' : 'Failed'];
  if (r.status !== undefined) parts.push(`Status=${r.status}`);
  if (r.error !== undefined) parts.push(`Error=${errorKind(r.error)}`);
  parts.push(`Id=${r.invocationId}`, `Duration=${Math.round(performance.now() - r.startedAt)}ms`);
  return `Executed 'Functions.${r.functionName}' (${parts.join(', ')})`;
}

function errorKind(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[\w.-]{1,64}$/.test(code) ? `${error.name}/${code}` : error.name;
}
