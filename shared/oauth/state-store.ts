import { createHash, randomBytes } from 'node:crypto';
import { odata, type TableEntity } from '@azure/data-tables';
import { z } from 'zod';
import type { Envelope } from '../crypto/envelope.js';
import { AppError } from '../errors.js';
import { accessSchema, providerSchema, type Access, type Provider } from '../providers.js';
import { isConflict, isNotFound } from '../storage/status.js';

// OAuthStates: PartitionKey = `s<slot>|<caller's user key>`, RowKey = SHA-256 of the state (hex).
// The slot is the 10-minute window the state was issued in; it leads the state itself, so the
// callback finds the row with one point read. Only the hash is stored, so a leaked table does not
// hand out usable states; the PKCE verifier is sealed under the key. Keyed so that:
// - a caller's pending states are two small partitions (its current and previous slot): counted
//   to cap them, without reading anyone else's;
// - another caller's state is simply not found under this caller's key (and so not consumed);
// - the purge reads only slots that have ended, never the live ones of every user.

export const STATE_TTL_MS = 10 * 60 * 1000;
/** Sign-ins one caller may have started and not finished: each is a row until it expires. */
export const MAX_PENDING_STATES_PER_CALLER = 10;

const SLOT_MS = STATE_TTL_MS;
const slotOf = (at: Date) => String(Math.floor(at.getTime() / SLOT_MS)).padStart(10, '0');
/** The slot just before `at`'s: a state issued there is still pending for up to one slot more. */
const previousSlotOf = (at: Date) => slotOf(new Date(at.getTime() - SLOT_MS));
const partitionOf = (slot: string, userKey: string) => `s${slot}|${userKey}`;
const STATE_SHAPE = /^(\d{10})[A-Za-z0-9_-]{43}$/;

/** Where a state's row is, for this caller; undefined when the state cannot be one of ours. */
export function stateRowKeys(state: string, userKey: string): { partitionKey: string; rowKey: string } | undefined {
  const slot = STATE_SHAPE.exec(state)?.[1];
  return slot === undefined ? undefined : { partitionKey: partitionOf(slot, userKey), rowKey: hash(state) };
}

export interface PendingAuthorization {
  userKey: string;
  provider: Provider;
  redirectUri: string;
  codeVerifier: string;
  /** What the sign-in asks for: the callback redeems the code for these scopes and records them. */
  access: Access;
  sharedCalendars: boolean;
  expiresAt: Date;
}

/** What create() stores; the access level defaults to `read` without shared calendars. */
export type NewAuthorization = Omit<PendingAuthorization, 'expiresAt' | 'access' | 'sharedCalendars'> &
  Partial<Pick<PendingAuthorization, 'access' | 'sharedCalendars'>>;

const rowSchema = z.object({
  etag: z.string(),
  userKey: z.string(),
  provider: providerSchema,
  redirectUri: z.string(),
  sealedVerifier: z.string(),
  // States issued before access levels asked for read access.
  access: accessSchema.optional().default('read'),
  sharedCalendars: z.boolean().optional().default(false),
  expiresAt: z.iso.datetime(),
});

function hash(state: string): string {
  return createHash('sha256').update(state).digest('hex');
}
const invalidState = () =>
  new AppError('invalid_state', 'The state is unknown, expired, already used, or was issued for another request.');

/** The table operations the store uses: a TableClient in production, an in-memory table in unit tests. */
export interface OAuthStateTable {
  createEntity(entity: TableEntity): Promise<unknown>;
  getEntity(partitionKey: string, rowKey: string): Promise<object>;
  deleteEntity(partitionKey: string, rowKey: string, options?: { etag?: string }): Promise<unknown>;
  listEntities(options: {
    queryOptions: { filter: string; select: string[] };
  }): AsyncIterable<{ partitionKey?: string; rowKey?: string; expiresAt?: unknown }>;
}

export class OAuthStateStore {
  constructor(
    private readonly table: OAuthStateTable,
    private readonly envelope: Envelope,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Stores a new pending authorization and returns its state: its slot, then 256 random bits
   * (base64url). A caller with MAX_PENDING_STATES_PER_CALLER unexpired ones is refused (429).
   */
  async create(pending: NewAuthorization): Promise<{ state: string; expiresAt: Date }> {
    const now = this.now();
    await this.refuseWhenTooMany(pending.userKey, now);
    const state = slotOf(now) + randomBytes(32).toString('base64url');
    const keys = stateRowKeys(state, pending.userKey);
    if (!keys) throw new Error('a new state does not have its own shape');
    const key = keys.rowKey;
    const expiresAt = new Date(now.getTime() + STATE_TTL_MS);
    await this.table.createEntity({
      ...keys,
      userKey: pending.userKey,
      provider: pending.provider,
      redirectUri: pending.redirectUri,
      access: pending.access ?? 'read',
      sharedCalendars: pending.sharedCalendars ?? false,
      sealedVerifier: await this.envelope.seal(pending.codeVerifier, { purpose: 'pkce-verifier', subject: key }),
      expiresAt: expiresAt.toISOString(),
    });
    return { state, expiresAt };
  }

  /**
   * Consumes a state: it must exist, be bound to this caller and provider, be unexpired, and this
   * call must win the ETag-conditional delete (so two concurrent callbacks cannot both use it).
   * Every failure is the same `invalid_state`, so the answer tells an attacker nothing.
   */
  async consume(state: string, userKey: string, provider: Provider): Promise<PendingAuthorization> {
    const keys = stateRowKeys(state, userKey);
    if (!keys) throw invalidState();
    const key = keys.rowKey;
    let row: z.infer<typeof rowSchema>;
    try {
      row = rowSchema.parse(await this.table.getEntity(keys.partitionKey, keys.rowKey));
    } catch (error) {
      if (isNotFound(error) || error instanceof z.ZodError) throw invalidState();
      throw error;
    }
    // Another caller's or provider's state is refused without consuming it: whoever holds a
    // stolen state must not be able to burn the rightful user's sign-in.
    if (row.userKey !== userKey || row.provider !== provider) throw invalidState();
    try {
      await this.table.deleteEntity(keys.partitionKey, keys.rowKey, { etag: row.etag });
    } catch (error) {
      if (isNotFound(error) || isConflict(error)) throw invalidState();
      throw error;
    }
    const expiresAt = new Date(row.expiresAt);
    if (expiresAt.getTime() <= this.now().getTime()) throw invalidState();
    const verifier = await this.envelope.open(row.sealedVerifier, { purpose: 'pkce-verifier', subject: key });
    return {
      userKey,
      provider,
      redirectUri: row.redirectUri,
      codeVerifier: verifier.toString('utf8'),
      access: row.access,
      sharedCalendars: row.sharedCalendars,
      expiresAt,
    };
  }

  /** Unexpired states of the caller: they were issued in this slot or the one before. */
  private async refuseWhenTooMany(userKey: string, now: Date): Promise<void> {
    const expiries: number[] = [];
    for (const slot of [previousSlotOf(now), slotOf(now)]) {
      const partition = partitionOf(slot, userKey);
      const filter = odata`PartitionKey eq ${partition} and expiresAt gt ${now.toISOString()}`;
      for await (const row of this.table.listEntities({ queryOptions: { filter, select: ['expiresAt'] } })) {
        expiries.push(Date.parse(String(row.expiresAt)));
      }
    }
    if (expiries.length < MAX_PENDING_STATES_PER_CALLER) return;
    const retryAfter = Math.max(1, Math.ceil((Math.min(...expiries) - now.getTime()) / 1000));
    throw new AppError(
      'too_many_pending_sign_ins',
      `At most ${MAX_PENDING_STATES_PER_CALLER} sign-ins may be pending at once: finish one, or try again later.`,
      undefined,
      { 'Retry-After': String(retryAfter) },
    );
  }

  /**
   * Deletes states that expired unused (abandoned sign-ins); returns how many. Reads only slots
   * that have ended (and rows of the older key scheme, which sort before them), never live ones.
   */
  async purgeExpired(): Promise<number> {
    let purged = 0;
    const now = this.now();
    const filter = odata`PartitionKey lt ${`s${slotOf(now)}`} and expiresAt lt ${now.toISOString()}`;
    for await (const row of this.table.listEntities({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } })) {
      try {
        await this.table.deleteEntity(String(row.partitionKey), String(row.rowKey));
        purged++;
      } catch (error) {
        if (!isNotFound(error)) throw error; // consumed meanwhile
      }
    }
    return purged;
  }
}
