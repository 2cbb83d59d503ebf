import { createHash } from 'node:crypto';
import { odata, type TableEntity } from '@azure/data-tables';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { isConflict, isNotFound } from '../storage/status.js';

// IdempotencyKeys: PartitionKey = SHA-256 of the caller's user key, RowKey = SHA-256 of the
// Idempotency-Key (hex). Neither the caller nor the key is stored in the clear. An entry is
// `in_progress` (under a lease, so a crashed attempt does not block the key for its 24 hours) and
// then `done` with the answer to give again: status, body and the headers that matter (Location).

/** How long a key is remembered (API.md "Idempotency"). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * How long an attempt holds its key before another may take over: longer than a write can run
 * (the Graph retry budget and request timeouts are seconds), shorter than a user's patience.
 */
export const IDEMPOTENCY_LEASE_MS = 2 * 60 * 1000;
/** Idempotency-Key: 1–255 visible ASCII characters (API.md). */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
/** Headers of an answer that are given again on a replay. */
const REPLAYED_HEADERS = ['location', 'content-type', 'retry-after'];
// Table Storage caps a string property at 32K UTF-16 units: a long answer is split over columns.
const CHUNK = 30_000;
const MAX_CHUNKS = 30;

/** An answer as it is stored and replayed. */
export interface StoredAnswer {
  status: number;
  /** The JSON body, or undefined for an answer without one (204). */
  body?: unknown;
  headers?: Record<string, string>;
}

/** What a request is, for comparing a retry with the first attempt. */
export interface RequestFingerprint {
  method: string;
  /** The path as the route names it (ids lower-cased). */
  path: string;
  /** The parsed JSON body (key order does not matter). */
  body: unknown;
}

/** An attempt that holds a key: what it must complete or release. */
export interface IdempotencyTicket {
  partitionKey: string;
  rowKey: string;
  etag: string;
  /** 1 for the first attempt; more when an earlier attempt crashed or released the key. */
  attempt: number;
  /**
   * Notes earlier attempts left (e.g. a draft's id) so a retry after an unknown outcome can find
   * what the first one did instead of doing it again. Empty on the first attempt.
   */
  notes: Record<string, string>;
}

export type Begun = { kind: 'run'; ticket: IdempotencyTicket } | { kind: 'replay'; answer: StoredAnswer };

/** The table operations the store uses: a TableClient in production. */
export interface IdempotencyTable {
  createEntity(entity: TableEntity): Promise<{ etag?: string }>;
  getEntity(partitionKey: string, rowKey: string): Promise<object>;
  updateEntity(entity: TableEntity, mode: 'Replace' | 'Merge', options?: { etag?: string }): Promise<{ etag?: string }>;
  deleteEntity(partitionKey: string, rowKey: string, options?: { etag?: string }): Promise<unknown>;
  listEntities(options: {
    queryOptions: { filter: string; select: string[] };
  }): AsyncIterable<{ partitionKey?: string; rowKey?: string }>;
}

const rowSchema = z.looseObject({
  etag: z.string(),
  state: z.enum(['in_progress', 'done']),
  requestHash: z.string(),
  attempt: z.number().int().positive(),
  leaseUntil: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  notes: z.string().optional(),
  answerStatus: z.number().int().optional(),
  answerHeaders: z.string().optional(),
  answerChunks: z.number().int().nonnegative().optional(),
});
type Row = z.infer<typeof rowSchema>;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** JSON with object keys sorted, so two bodies that differ only in key order hash the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The hash a retry must match: method, path and body. */
export const requestHash = (request: RequestFingerprint): string =>
  sha256(`${request.method.toUpperCase()} ${request.path}\n${canonicalJson(request.body)}`);

/** Parses an Idempotency-Key header: absent → undefined; present but not 1–255 visible ASCII → 400. */
export function parseIdempotencyKey(header: string | null | undefined): string | undefined {
  if (header === null || header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw new AppError('validation_failed', 'Idempotency-Key must be 1–255 visible ASCII characters.', [
      { field: 'Idempotency-Key', message: 'must be 1–255 visible ASCII characters' },
    ]);
  }
  return header;
}

const reused = () =>
  new AppError(
    'idempotency_key_reused',
    'This Idempotency-Key was used with a different request in the last 24 hours; use a new key.',
  );
const inProgress = () =>
  new AppError(
    'request_in_progress',
    'A request with this Idempotency-Key is still in progress; retry shortly.',
    undefined,
    { 'Retry-After': '1' },
  );

export class IdempotencyStore {
  constructor(
    private readonly table: IdempotencyTable,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Claims `key` for this caller and request, or says what to do instead: replay the stored answer
   * (same request, already answered), 422 (another request used the key), 409 (an attempt holds it).
   * An attempt whose lease ran out (it crashed, or released the key after an unknown outcome) is
   * taken over: the new ticket carries its notes.
   */
  async begin(userKey: string, key: string, request: RequestFingerprint): Promise<Begun> {
    const partitionKey = sha256(userKey);
    const rowKey = sha256(key);
    const hash = requestHash(request);
    for (let round = 0; round < 3; round++) {
      const now = this.now();
      const fresh = this.inProgressRow(partitionKey, rowKey, hash, 1, {}, now);
      try {
        const created = await this.table.createEntity(fresh);
        return { kind: 'run', ticket: { partitionKey, rowKey, etag: String(created.etag), attempt: 1, notes: {} } };
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
      const row = await this.read(partitionKey, rowKey);
      if (!row) continue; // purged between the two calls: create again
      if (Date.parse(row.expiresAt) <= now.getTime()) {
        // An entry past its 24 hours is as good as absent: the purge has not reached it yet.
        await this.table.deleteEntity(partitionKey, rowKey, { etag: row.etag }).catch(ignoreLostRace);
        continue;
      }
      if (row.requestHash !== hash) throw reused();
      if (row.state === 'done') return { kind: 'replay', answer: await this.answerOf(row) };
      if (Date.parse(row.leaseUntil) > now.getTime()) throw inProgress();
      const notes = parseNotes(row.notes);
      const taken = this.inProgressRow(partitionKey, rowKey, hash, row.attempt + 1, notes, now, row.expiresAt);
      try {
        const updated = await this.table.updateEntity(taken, 'Replace', { etag: row.etag });
        return {
          kind: 'run',
          ticket: { partitionKey, rowKey, etag: String(updated.etag), attempt: row.attempt + 1, notes },
        };
      } catch (error) {
        if (isConflict(error) || isNotFound(error)) throw inProgress(); // another retry took it first
        throw error;
      }
    }
    throw inProgress();
  }

  /** Records a note for later attempts (e.g. a draft's id before it is sent); keeps the lease. */
  async note(ticket: IdempotencyTicket, notes: Record<string, string>): Promise<void> {
    ticket.notes = { ...ticket.notes, ...notes };
    const updated = await this.table.updateEntity(
      { partitionKey: ticket.partitionKey, rowKey: ticket.rowKey, notes: JSON.stringify(ticket.notes) },
      'Merge',
      { etag: ticket.etag },
    );
    ticket.etag = String(updated.etag);
  }

  /** Stores the answer: from now on a retry with the same request gets it again. */
  async complete(ticket: IdempotencyTicket, answer: StoredAnswer): Promise<void> {
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    const chunks: Record<string, string> = {};
    const count = Math.ceil(text.length / CHUNK);
    if (count > MAX_CHUNKS) throw new Error('an answer too large to keep for Idempotency-Key replays');
    for (let i = 0; i < count; i++) chunks[`answer${i}`] = text.slice(i * CHUNK, (i + 1) * CHUNK);
    const headers = Object.fromEntries(
      Object.entries(answer.headers ?? {}).filter(([name]) => REPLAYED_HEADERS.includes(name.toLowerCase())),
    );
    await this.table.updateEntity(
      {
        partitionKey: ticket.partitionKey,
        rowKey: ticket.rowKey,
        state: 'done',
        answerStatus: answer.status,
        answerHeaders: JSON.stringify(headers),
        answerChunks: answer.body === undefined ? 0 : count,
        answerEmpty: answer.body === undefined,
        ...chunks,
      },
      'Merge',
      { etag: ticket.etag },
    );
  }

  /**
   * Gives the key up without an answer. `forget`: nothing was done at Microsoft (the request was
   * refused before it was sent, or Microsoft refused it) and the entry goes. Otherwise the outcome
   * is unknown: the entry stays, bound to this request, with its notes, and the next retry takes
   * it over at once.
   */
  async release(ticket: IdempotencyTicket, options: { forget?: boolean } = {}): Promise<void> {
    try {
      if (options.forget) {
        await this.table.deleteEntity(ticket.partitionKey, ticket.rowKey, { etag: ticket.etag });
      } else {
        await this.table.updateEntity(
          { partitionKey: ticket.partitionKey, rowKey: ticket.rowKey, leaseUntil: this.now().toISOString() },
          'Merge',
          { etag: ticket.etag },
        );
      }
    } catch (error) {
      ignoreLostRace(error);
    }
  }

  /** Deletes entries past their 24 hours; returns how many. */
  async purgeExpired(): Promise<number> {
    let purged = 0;
    const filter = odata`expiresAt lt ${this.now().toISOString()}`;
    for await (const row of this.table.listEntities({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } })) {
      try {
        await this.table.deleteEntity(String(row.partitionKey), String(row.rowKey));
        purged++;
      } catch (error) {
        ignoreLostRace(error);
      }
    }
    return purged;
  }

  private inProgressRow(
    partitionKey: string,
    rowKey: string,
    hash: string,
    attempt: number,
    notes: Record<string, string>,
    now: Date,
    expiresAt = new Date(now.getTime() + IDEMPOTENCY_TTL_MS).toISOString(),
  ): TableEntity {
    return {
      partitionKey,
      rowKey,
      state: 'in_progress',
      requestHash: hash,
      attempt,
      leaseUntil: new Date(now.getTime() + IDEMPOTENCY_LEASE_MS).toISOString(),
      expiresAt,
      notes: JSON.stringify(notes),
    };
  }

  private async read(partitionKey: string, rowKey: string): Promise<Row | undefined> {
    try {
      return rowSchema.parse(await this.table.getEntity(partitionKey, rowKey));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async answerOf(row: Row): Promise<StoredAnswer> {
    const status = z.number().int().min(100).max(599).parse(row.answerStatus);
    const headers = z.record(z.string(), z.string()).parse(JSON.parse(row.answerHeaders ?? '{}'));
    const count = row.answerChunks ?? 0;
    const empty = (row as Record<string, unknown>).answerEmpty === true;
    if (empty) return { status, headers };
    let text = '';
    for (let i = 0; i < count; i++) text += z.string().parse((row as Record<string, unknown>)[`answer${i}`]);
    return { status, headers, body: JSON.parse(text) as unknown };
  }
}

function parseNotes(text: string | undefined): Record<string, string> {
  if (!text) return {};
  const parsed = z.record(z.string(), z.string()).safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : {};
}

/** Another attempt or the purge got there first: nothing left to do. */
function ignoreLostRace(error: unknown): void {
  if (!isConflict(error) && !isNotFound(error)) throw error;
}

/** What {@link runIdempotent} needs to know of the request. */
export interface IdempotentRequest {
  userKey: string;
  /** The parsed Idempotency-Key; undefined runs the work without a key (no replay protection). */
  key: string | undefined;
  request: RequestFingerprint;
}

/**
 * Why a write failed, as far as idempotency is concerned: `refused` means nothing was done at
 * Microsoft (its 4xx, or a refusal before the request left), so the key is forgotten and may be
 * used again; anything else (a timeout, a 5xx, a crash) leaves the outcome unknown.
 */
export type FailureKind = 'refused' | 'unknown';

/**
 * Runs a write under an Idempotency-Key: the first attempt runs `work` (given its ticket, so it
 * can derive Graph's transactionId from the key or leave notes), its answer is stored and given
 * again to every retry of the same request within 24 hours.
 */
export async function runIdempotent(
  store: IdempotencyStore,
  input: IdempotentRequest,
  work: (ticket: IdempotencyTicket | undefined) => Promise<StoredAnswer>,
  classify: (error: unknown) => FailureKind,
): Promise<StoredAnswer & { replayed: boolean }> {
  if (input.key === undefined) return { ...(await work(undefined)), replayed: false };
  const begun = await store.begin(input.userKey, input.key, input.request);
  if (begun.kind === 'replay') return { ...begun.answer, replayed: true };
  let answer: StoredAnswer;
  try {
    answer = await work(begun.ticket);
  } catch (error) {
    await store.release(begun.ticket, { forget: classify(error) === 'refused' });
    throw error;
  }
  try {
    await store.complete(begun.ticket, answer);
  } catch (error) {
    // Our lease ran out and a retry took the key over: it answers its caller; this one still gets
    // the answer of the work it did.
    if (!isConflict(error)) throw error;
  }
  return { ...answer, replayed: false };
}
