import { GraphError } from './errors.js';

/**
 * An unknown or expired state token: 410 Gone, `Location` pointing at the round's initial URL,
 * code `syncStateNotFound`; the client must start a full sync again.
 */
export function syncStateNotFound(location: string): GraphError {
  return new GraphError(
    410,
    'syncStateNotFound',
    'The sync state generation is not found or has expired. Restart the sync from the initial request.',
    { Location: location },
  );
}
