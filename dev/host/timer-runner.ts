import type { Timer } from '@azure/functions';
import type { TimerFunction } from '../../shared/functions/definitions.js';
import { createContext, formatInvocation, runHandler, type LogLine } from './invocation.js';
import type { CronSchedule } from './ncrontab.js';

// setTimeout cannot wait longer than 2^31-1 ms (~24.8 days); longer waits are taken in steps.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
// A run starting this late (a blocked event loop) is past due even if no run overran it.
const PAST_DUE_AFTER_MS = 1000;

/**
 * Runs one timer function on its NCRONTAB schedule, in UTC. Runs never overlap (the runtime holds
 * a lock per timer): occurrences missed while a run overran collapse into one run with
 * `isPastDue: true`. A failing run is logged and the schedule goes on.
 */
export class TimerRunner {
  private timeout: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly fn: TimerFunction,
    private readonly schedule: CronSchedule,
    private readonly functionTimeoutMs: number | null,
    private readonly log: LogLine,
  ) {}

  start(): void {
    this.plan(this.schedule.next(new Date()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timeout);
    await this.running;
  }

  private plan(at: Date | null, missed = false): void {
    if (this.stopped) return;
    if (!at) {
      this.log(`Timer '${this.fn.name}': schedule "${this.schedule.expression}" has no further occurrences`);
      return;
    }
    // Re-checked on wake-up: long waits come in steps, and the wall clock may lag the timer's clock.
    this.timeout = setTimeout(
      () => (Date.now() < at.getTime() ? this.plan(at, missed) : void (this.running = this.fire(at, missed))),
      Math.max(0, Math.min(at.getTime() - Date.now(), MAX_TIMEOUT_MS)),
    );
  }

  private async fire(at: Date, missed: boolean): Promise<void> {
    const following = this.schedule.next(at);
    const timer: Timer = {
      isPastDue: missed || Date.now() - at.getTime() > PAST_DUE_AFTER_MS,
      schedule: { adjustForDST: true },
      scheduleStatus: {
        last: at.toISOString(),
        next: (following ?? at).toISOString(),
        lastUpdated: new Date().toISOString(),
      },
    };
    const context = createContext(this.fn.name, 'timerTrigger', this.log);
    const record = { functionName: this.fn.name, invocationId: context.invocationId, startedAt: performance.now() };
    try {
      await runHandler(this.fn.name, this.functionTimeoutMs, () => this.fn.handler(timer, context));
      this.log(formatInvocation({ ...record, succeeded: true }));
    } catch (error) {
      this.log(formatInvocation({ ...record, succeeded: false, error }));
    }
    if (!following || following.getTime() > Date.now()) return this.plan(following);
    // Occurrences that passed while this run overran collapse into the latest of them, run at once.
    let latest = following;
    for (let n = this.schedule.next(latest); n && n.getTime() <= Date.now(); n = this.schedule.next(n)) latest = n;
    this.plan(latest, true);
  }
}
