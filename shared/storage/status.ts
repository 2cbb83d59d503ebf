// Status checks on the Storage SDKs' RestError, without importing them (any error with a
// `statusCode` qualifies), so every store can ask the same question the same way.

const isStatus = (error: unknown, status: number) =>
  typeof error === 'object' &&
  error !== null &&
  'statusCode' in error &&
  (error as { statusCode: unknown }).statusCode === status;

/** The entity, table or queue does not exist (404). */
export const isNotFound = (error: unknown): boolean => isStatus(error, 404);

/** The write lost a race: the entity exists already (409) or changed since it was read (412). */
export const isConflict = (error: unknown): boolean => isStatus(error, 409) || isStatus(error, 412);
