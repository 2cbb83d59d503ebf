import { createHash, randomBytes } from 'node:crypto';
import { odata, type TableEntity } from '@azure/data-tables';
import { z } from 'zod';
import type { Envelope } from '../crypto/envelope.js';
import { AppError } from '../errors.js';
import { providerSchema, type Provider } from '../providers.js';
import { isConflict, isNotFound } from '../storage/status.js';

// OAuthStates: PartitionKey = SHA-256 of the state (hex), RowKey = 'state'. Only the hash is stored,
// so a leaked table does not hand out usable states; the PKCE verifier is sealed under the key.

export const STATE_TTL_MS = 10 * 60 * 1000;

export interface PendingAuthorization {
  userKey: string;
  provider: Provider;
  redirectUri: string;
  codeVerifier: string;
  expiresAt: Date;
}

const rowSchema = z.object({
  etag: z.string(),
  userKey: z.string(),
  provider: providerSchema,
  redirectUri: z.string(),
  sealedVerifier: z.string(),
  expiresAt: z.iso.datetime(),
});

const hash = (state: string) => createHash('sha256').update(state).digest('hex');
const invalidState = () =>
  new AppError('invalid_state', 'The state is unknown, expired, already used, or was issued for another request.');

/** The table operations the store uses: a TableClient in production, an in-memory table in unit tests. */
export interface OAuthStateTable {
  createEntity(entity: TableEntity): Promise<unknown>;
  getEntity(partitionKey: string, rowKey: string): Promise<object>;
  deleteEntity(partitionKey: string, rowKey: string, options?: { etag?: string }): Promise<unknown>;
  listEntities(options: {
    queryOptions: { filter: string; select: string[] };
  }): AsyncIterable<{ partitionKey?: string; rowKey?: string }>;
}

export class OAuthStateStore {
  constructor(
    private readonly table: OAuthStateTable,
    private readonly envelope: Envelope,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Stores a new pending authorization and returns its state: 256 random bits, base64url. */
  async create(pending: Omit<PendingAuthorization, 'expiresAt'>): Promise<{ state: string; expiresAt: Date }> {
    const state = randomBytes(32).toString('base64url');
    const key = hash(state);
    const expiresAt = new Date(this.now().getTime() + STATE_TTL_MS);
    await this.table.createEntity({
      partitionKey: key,
      rowKey: 'state',
      userKey: pending.userKey,
      provider: pending.provider,
      redirectUri: pending.redirectUri,
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
    if (!/^[A-Za-z0-9_-]{16,128}$/.test(state)) throw invalidState();
    const key = hash(state);
    let row: z.infer<typeof rowSchema>;
    try {
      row = rowSchema.parse(await this.table.getEntity(key, 'state'));
    } catch (error) {
      if (isNotFound(error) || error instanceof z.ZodError) throw invalidState();
      throw error;
    }
    // Another caller's or provider's state is refused without consuming it: whoever holds a
    // stolen state must not be able to burn the rightful user's sign-in.
    if (row.userKey !== userKey || row.provider !== provider) throw invalidState();
    try {
      await this.table.deleteEntity(key, 'state', { etag: row.etag });
    } catch (error) {
      if (isNotFound(error) || isConflict(error)) throw invalidState();
      throw error;
    }
    const expiresAt = new Date(row.expiresAt);
    if (expiresAt.getTime() <= this.now().getTime()) throw invalidState();
    const verifier = await this.envelope.open(row.sealedVerifier, { purpose: 'pkce-verifier', subject: key });
    return { userKey, provider, redirectUri: row.redirectUri, codeVerifier: verifier.toString('utf8'), expiresAt };
  }

  /** Deletes states that expired unused (abandoned sign-ins); returns how many. */
  async purgeExpired(): Promise<number> {
    let purged = 0;
    const filter = odata`expiresAt lt ${this.now().toISOString()}`;
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
