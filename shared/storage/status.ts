// Status checks on the Storage SDKs' RestError, without importing them (any error with a
// `statusCode` qualifies), so every store can ask the same question the same way.

/** The HTTP status a storage error carries, if any. */
export const statusOf = (error: unknown): unknown =>
  typeof error === 'object' && error !== null && 'statusCode' in error
    ? (error as { statusCode: unknown }).statusCode
    : undefined;

const isStatus = (error: unknown, status: number) => statusOf(error) === status;

/** The entity, table or queue does not exist (404). */
export const isNotFound = (error: unknown): boolean => isStatus(error, 404);

/** The write lost a race: the entity exists already (409) or changed since it was read (412). */
export const isConflict = (error: unknown): boolean => isStatus(error, 409) || isStatus(error, 412);
