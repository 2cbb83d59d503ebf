// In-memory versions of the ports runDeltaStream needs (shared/sync/delta-stream.ts). Every call
// is written to one shared journal, so a test can assert the order of commits, checkpoints,
// heartbeats and the sweep, which is what makes a crash resumable.
import type { GraphGet } from '../../../shared/graph/client.js';
import type { LogFields, Logger } from '../../../shared/log.js';
import type { PageWriter, StreamStates } from '../../../shared/sync/delta-stream.js';
import type { ItemUpsert } from '../../../shared/sync/item-writer.js';
import type { StreamState } from '../../../shared/sync/state-store.js';

export type Journal = string[];

/** Graph answers by URL: a body, or an error to throw. A URL not listed is a test bug and throws. */
export class FakeGraph {
  readonly requests: { url: string; headers: Record<string, string> }[] = [];
  private readonly answers = new Map<string, unknown[]>();

  constructor(private readonly journal: Journal) {}

  /** Queues answers for a URL, used in order; the last one repeats. */
  on(url: string, ...answers: unknown[]): this {
    this.answers.set(url, answers);
    return this;
  }

  readonly get: GraphGet = async (url, headers = {}) => {
    // A stream that loops would spin on resolved promises and starve the test's timeout.
    if (this.requests.length >= 100) throw new Error('FakeGraph: more than 100 requests (a loop?)');
    this.requests.push({ url, headers });
    this.journal.push(`get ${url}`);
    const queued = this.answers.get(url);
    if (!queued) throw new Error(`FakeGraph: no answer for ${url}`);
    const answer = queued.length > 1 ? queued.shift() : queued[0];
    if (answer instanceof Error) throw answer;
    return structuredClone(answer);
  };
}

/** The SyncState table of one integration, as a map from stream to its checkpoint. */
export class MemoryStates implements StreamStates {
  readonly rows = new Map<string, StreamState>();

  constructor(private readonly journal: Journal) {}

  async get(stream: string): Promise<StreamState | undefined> {
    const row = this.rows.get(stream);
    return row && structuredClone(row);
  }

  async put(stream: string, state: StreamState): Promise<void> {
    this.journal.push(state.nextLink ? `checkpoint next ${state.nextLink}` : `checkpoint delta ${state.deltaLink}`);
    this.rows.set(stream, structuredClone(state));
  }
}

/**
 * The items of one partition: id → (hash, round). Counts as ItemWriter does: an upsert with an
 * unchanged hash only re-marks the round; a removal of an unknown id is nothing.
 */
export class MemoryWriter implements PageWriter {
  readonly items = new Map<string, { hash: string; round: string }>();
  /** When set, the next apply fails before changing anything (a storage outage mid-page). */
  failNextApply: Error | undefined;

  constructor(private readonly journal: Journal) {}

  async apply(
    upserts: ItemUpsert[],
    removals: string[],
    round: string,
  ): Promise<{ upserted: number; deleted: number }> {
    if (this.failNextApply) {
      const error = this.failNextApply;
      this.failNextApply = undefined;
      this.journal.push('apply failed');
      throw error;
    }
    this.journal.push(`apply +${upserts.map((u) => u.id).join(',')} -${removals.join(',')}`);
    let upserted = 0;
    let deleted = 0;
    for (const u of upserts) {
      if (this.items.get(u.id)?.hash !== u.hash) upserted++;
      this.items.set(u.id, { hash: u.hash, round });
    }
    for (const id of removals) if (this.items.delete(id)) deleted++;
    return { upserted, deleted };
  }

  async sweep(round: string): Promise<number> {
    const stale = [...this.items].filter(([, item]) => item.round !== round).map(([id]) => id);
    for (const id of stale) this.items.delete(id);
    this.journal.push(`sweep -${stale.join(',')}`);
    return stale.length;
  }
}

export interface LogLine {
  level: string;
  message: string;
  fields?: LogFields;
}

/** A logger that keeps its lines (message and fields) for assertions; children share them. */
export function memoryLog(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (message: string, fields?: LogFields) => void lines.push({ level, message, fields });
  const log: Logger & { lines: LogLine[] } = {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => log,
  };
  return log;
}
