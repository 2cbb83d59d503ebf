import type { InvocationContext } from '@azure/functions';
import { loggerFor, scrub, withInvocationLogger } from '../log.js';
import type { FunctionDefinition } from './definitions.js';

const SCOPED = Symbol.for('integrato.invocation-scope');

type AnyHandler = (input: unknown, context: InvocationContext) => unknown;

/**
 * What reaches the Functions host of an error a handler threw: the Node worker reports its message
 * and stack as the invocation's exception (Application Insights' exceptions table), so only the
 * name, a scrubbed message and stack, and a short code are kept; upstream bodies, headers, request
 * URLs and causes are dropped.
 */
export class ScrubbedError extends Error {
  readonly code?: string;

  constructor(original: unknown) {
    const source = original instanceof Error ? original : undefined;
    super(scrub(source ? source.message : String(original)));
    // Some SDK errors (GraphError) keep the name 'Error'; their class name tells more.
    this.name = source ? (source.name === 'Error' ? source.constructor.name : source.name) : 'Error';
    const code = (source as { code?: unknown } | undefined)?.code;
    if ((typeof code === 'string' && /^[\w.-]{1,64}$/.test(code)) || typeof code === 'number') this.code = String(code);
    this.stack = source?.stack ? scrub(source.stack) : `${this.name}: ${this.message}`;
  }
}

/** Whether a definition's handler runs in its invocation's scope (see inInvocationScope). */
export function isInInvocationScope(def: FunctionDefinition): boolean {
  return (def.handler as { [SCOPED]?: true })[SCOPED] === true;
}

/**
 * A definition whose handler runs in its invocation's scope: code deep inside SDK callbacks logs
 * through the invocation's logger (see invocationLogger), and an error leaves the handler only as a
 * {@link ScrubbedError}, so the host's exception telemetry holds no token, secret or signature.
 * Idempotent; the definition is otherwise unchanged.
 */
export function inInvocationScope<D extends FunctionDefinition>(def: D): D {
  const inner = def.handler as AnyHandler & { [SCOPED]?: true };
  if (inner[SCOPED]) return def;
  const handler: AnyHandler = (input, context) =>
    withInvocationLogger(loggerFor(context), async () => {
      try {
        return await inner(input, context);
      } catch (error) {
        throw error instanceof ScrubbedError ? error : new ScrubbedError(error);
      }
    });
  return { ...def, handler: Object.assign(handler, { [SCOPED]: true as const }) } as D;
}
