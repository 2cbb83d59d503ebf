/**
 * A module loaded on first use, once. Function files reach the heavy SDKs (MSAL, Tables, Queues,
 * the Graph client) through this, so a cold start imports only what registration needs.
 * A failed load is forgotten so the next call tries again.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}
