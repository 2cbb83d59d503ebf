import { InvocationContext, type Timer } from '@azure/functions';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';
import { definitions } from '../../functions/all.js';
import type { QueueFunction, TimerFunction } from '../../shared/functions/definitions.js';
import { inInvocationScope, isInInvocationScope, ScrubbedError } from '../../shared/functions/invocation-scope.js';
import { invocationLogger } from '../../shared/log.js';

// Issue 19, finding 8: an error rethrown from a queue or timer handler is what the Functions host
// records as the invocation's exception (message and stack): it must carry no secret.

const SECRET = 'Zq8sV1kP0xWm3Rt7Yb2Nc5Hd9Lf4Gj6A';
const JWT = `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${SECRET}`;

function context(name: string, lines: string[]): InvocationContext {
  return new InvocationContext({
    functionName: name,
    invocationId: 'f2a1c7de-0000-4000-8000-000000000001',
    logHandler: (_level, ...args) => void lines.push(args.join(' ')),
  });
}

const timer: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: true },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

function leakyErrors(): unknown[] {
  const graph = new GraphError(
    500,
    `Invalid nextLink https://graph.microsoft.com/v1.0/me/messages/delta?$deltatoken=${SECRET}`,
  );
  graph.body = JSON.stringify({ refresh_token: SECRET });
  const storage = Object.assign(
    new Error(`Request to https://acct.queue.core.windows.net/q?sv=2022&sig=${SECRET} failed; AccountKey=${SECRET};`),
    { code: 'AuthenticationFailed', request: { headers: { authorization: `Bearer ${JWT}` } } },
  );
  const form = new Error(`token endpoint refused client_secret=${SECRET}&refresh_token=${SECRET}`, {
    cause: new Error(SECRET),
  });
  return [graph, storage, form, `Bearer ${JWT}`];
}

describe('handlers run in their invocation scope', () => {
  it('every definition the app registers is scoped (functions/all.ts)', () => {
    expect(definitions.length).toBeGreaterThan(5);
    for (const def of definitions) expect(isInInvocationScope(def), def.name).toBe(true);
    expect(definitions.some((d) => d.kind === 'queue') && definitions.some((d) => d.kind === 'timer')).toBe(true);
  });

  it('an error leaving a queue or timer handler is scrubbed: name and code kept, no secret in message, stack or fields', async () => {
    for (const thrown of leakyErrors()) {
      const queue = inInvocationScope<QueueFunction>({
        kind: 'queue',
        name: 'q',
        queueName: 'q',
        connection: 'AzureWebJobsStorage',
        handler: async () => {
          throw thrown;
        },
      });
      const tick = inInvocationScope<TimerFunction>({
        kind: 'timer',
        name: 't',
        schedule: '0 0 * * * *',
        handler: () => {
          throw thrown;
        },
      });
      for (const run of [
        () => queue.handler({ job: 1 }, context('q', [])),
        () => tick.handler(timer, context('t', [])),
      ]) {
        const error = await Promise.resolve()
          .then(run)
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(error).toBeInstanceOf(ScrubbedError);
        const seen = JSON.stringify({
          ...(error as object),
          message: (error as Error).message,
          stack: (error as Error).stack,
          cause: (error as Error).cause,
        });
        expect(seen).not.toContain(SECRET.slice(0, 12));
        expect(seen).not.toContain('eyJhbGci');
        if (thrown instanceof Error) {
          expect((error as Error).name).toBe(thrown.name === 'Error' ? thrown.constructor.name : thrown.name);
          expect((error as Error).stack).toContain('invocation-scope.test.ts'); // still says where it came from
        }
      }
    }
    const coded = inInvocationScope<QueueFunction>({
      kind: 'queue',
      name: 'q',
      queueName: 'q',
      connection: 'x',
      handler: async () => {
        throw leakyErrors()[1];
      },
    });
    const codedError = await Promise.resolve(coded.handler({}, context('q', []))).catch((e: unknown) => e);
    expect(codedError).toMatchObject({ name: 'Error', code: 'AuthenticationFailed' });
  });

  it("code deep in the handler logs through the invocation's logger; results pass through; wrapping twice is once", async () => {
    const lines: string[] = [];
    const def = inInvocationScope<QueueFunction>({
      kind: 'queue',
      name: 'deep',
      queueName: 'q',
      connection: 'x',
      handler: async () => {
        await new Promise((r) => setTimeout(r, 5));
        invocationLogger().warn('from deep inside', { refresh_token: SECRET });
        return 'done';
      },
    });
    expect(inInvocationScope(def)).toBe(def);
    expect(await def.handler({}, context('deep', lines))).toBe('done');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'warn',
      msg: 'from deep inside',
      function: 'deep',
      invocation_id: 'f2a1c7de-0000-4000-8000-000000000001',
      refresh_token: '[redacted]',
    });
  });
});
