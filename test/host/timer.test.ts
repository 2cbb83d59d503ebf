import type { InvocationContext, Timer } from '@azure/functions';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../dev/host/host.js';

const repoHostJson = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'host.json');

describe('local host: timers', () => {
  let host: RunningHost | undefined;
  afterEach(async () => {
    await host?.stop();
    host = undefined;
  });

  it('fires on its %SETTING% schedule at whole seconds, and a failing run does not stop the schedule', async () => {
    const calls: { at: number; timer: Timer; context: InvocationContext }[] = [];
    const lines: string[] = [];
    host = await startHost({
      definitions: [
        {
          kind: 'timer',
          name: 'tick',
          schedule: '%TICK_SCHEDULE%',
          handler: (timer, context) => {
            calls.push({ at: Date.now(), timer, context });
            if (calls.length === 1) throw new Error('first run fails');
          },
        },
      ],
      port: 0,
      hostJsonPath: repoHostJson,
      env: { TICK_SCHEDULE: '* * * * * *' },
      log: (l) => lines.push(l),
    });
    await expect.poll(() => calls.length, { timeout: 5000, interval: 50 }).toBeGreaterThanOrEqual(3);

    for (const { at, timer, context } of calls.slice(0, 3)) {
      const last = Date.parse(timer.scheduleStatus.last);
      expect(last % 1000).toBe(0); // the occurrence is a whole second ...
      expect(at).toBeGreaterThanOrEqual(last); // ... and the run is never early
      expect(at - last).toBeLessThan(900);
      expect(timer.isPastDue).toBe(false);
      expect(timer.schedule.adjustForDST).toBe(true);
      expect(Date.parse(timer.scheduleStatus.next) - last).toBe(1000);
      expect(context.functionName).toBe('tick');
    }
    const [first, second] = calls;
    expect(Date.parse(second!.timer.scheduleStatus.last) - Date.parse(first!.timer.scheduleStatus.last)).toBe(1000);
    expect(new Set(calls.map((c) => c.context.invocationId)).size).toBe(calls.length);
    const executed = lines.filter((l) => l.startsWith("Executed 'Functions.tick'"));
    expect(executed[0]).toMatch(
      /^Executed 'Functions\.tick' \(Failed, Error=Error, Id=[0-9a-f-]{36}, Duration=\d+ms\)$/,
    );
    expect(executed[1]).toMatch(/^Executed 'Functions\.tick' \(Succeeded, Id=/);
  });

  it('never overlaps runs: occurrences missed during a long run collapse into one past-due run', async () => {
    const calls: { start: number; end: number; timer: Timer }[] = [];
    host = await startHost({
      definitions: [
        {
          kind: 'timer',
          name: 'slow',
          schedule: '* * * * * *',
          handler: async (timer) => {
            const start = Date.now();
            if (calls.length === 0) await new Promise((r) => setTimeout(r, 2600));
            calls.push({ start, end: Date.now(), timer });
          },
        },
      ],
      port: 0,
      hostJsonPath: repoHostJson,
      env: {},
      log: () => undefined,
    });
    await expect.poll(() => calls.length, { timeout: 8000, interval: 50 }).toBeGreaterThanOrEqual(4);
    const [slow, pastDue, ...onTime] = calls;
    expect(pastDue!.start).toBeGreaterThanOrEqual(slow!.end);
    expect(pastDue!.start - slow!.end).toBeLessThan(900); // at once, not at the next second
    expect(pastDue!.timer.isPastDue).toBe(true);
    // Two or three occurrences passed during the slow run, yet only one past-due run follows.
    expect(onTime.map((c) => c.timer.isPastDue)).toEqual(onTime.map(() => false));
    for (const [i, call] of calls.slice(1).entries()) expect(call.start).toBeGreaterThanOrEqual(calls[i]!.end);
  });

  it('refuses to start when the schedule names a missing setting or is not NCRONTAB', async () => {
    const timer = (schedule: string) => ({ kind: 'timer' as const, name: 'tick', schedule, handler: () => undefined });
    await expect(
      startHost({
        definitions: [timer('%MISSING_SCHEDULE%')],
        port: 0,
        hostJsonPath: repoHostJson,
        env: {},
        log: () => undefined,
      }),
    ).rejects.toThrow(
      'Function "tick" schedule: app setting "MISSING_SCHEDULE" (referenced as %MISSING_SCHEDULE%) is not set',
    );
    await expect(
      startHost({
        definitions: [timer('%S%')],
        port: 0,
        hostJsonPath: repoHostJson,
        env: { S: '0 */5 * * *' },
        log: () => undefined,
      }),
    ).rejects.toThrow(/Invalid NCRONTAB expression "0 \*\/5 \* \* \*": expected 6 fields/);
  });
});
