import { createHash } from 'node:crypto';

/** The signed-in SPA user on whose behalf a request runs. */
export interface Caller {
  /** Stable, storage-safe key of the user: a hash of tenant id and object id (or subject). */
  userKey: string;
  tenantId: string | undefined;
  objectId: string;
  /** Easy Auth only: the identity provider that signed the user in (`aad`, `google`…), lower-case. */
  identityProvider?: string;
}

/**
 * The user key is hashed so that it is safe as a Table Storage PartitionKey whatever the issuer
 * put in the claims, and so that raw directory ids are not spread through every table.
 *
 * The key partitions all of a user's data: the jwt-mode spelling (`tid|oid`, `tid|sub:sub`) must
 * never change, or existing users lose their integrations. Easy Auth callers also name their
 * identity provider (the same ids from another provider are another user); their key is the hash
 * of an unambiguous JSON array, so no provider, tenant or id spelling can collide with another.
 */
export function callerFrom(
  tenantId: string | undefined,
  objectId: string | undefined,
  subject: string | undefined,
  identityProvider?: string,
): Caller | undefined {
  const id = objectId ?? (subject ? `sub:${subject}` : undefined);
  if (!id) return undefined;
  const keyed =
    identityProvider === undefined
      ? `${tenantId ?? ''}|${id}`
      : JSON.stringify(['easyauth', identityProvider, tenantId ?? '', id]);
  const userKey = createHash('sha256').update(keyed).digest('base64url');
  return { userKey, tenantId, objectId: id, ...(identityProvider === undefined ? {} : { identityProvider }) };
}
