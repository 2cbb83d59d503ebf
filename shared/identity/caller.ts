import { createHash } from 'node:crypto';

/** The signed-in SPA user on whose behalf a request runs. */
export interface Caller {
  /** Stable, storage-safe key of the user: a hash of tenant id and object id (or subject). */
  userKey: string;
  tenantId: string | undefined;
  objectId: string;
}

/**
 * The user key is hashed so that it is safe as a Table Storage PartitionKey whatever the issuer
 * put in the claims, and so that raw directory ids are not spread through every table.
 */
export function callerFrom(tenantId: string | undefined, objectId: string | undefined, subject: string | undefined): Caller | undefined {
  const id = objectId ?? (subject ? `sub:${subject}` : undefined);
  if (!id) return undefined;
  const userKey = createHash('sha256').update(`${tenantId ?? ''}|${id}`).digest('base64url');
  return { userKey, tenantId, objectId: id };
}
