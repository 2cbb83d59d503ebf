import createClient from 'openapi-fetch';
import { apiBaseUrl } from '../config';
import { ApiError, networkError, toApiError } from './problem';
import type { components, paths } from './schema';

// The typed client: paths and shapes come from web/src/api/schema.d.ts, generated from the app's
// OpenAPI document. Every call goes through `unwrap`, so a failure is always an ApiError.

export type Integration = components['schemas']['Integration'];
export type CalendarEvent = components['schemas']['CalendarEvent'];
export type EmailMessage = components['schemas']['EmailMessage'];
export type Provider = Integration['provider'];

export type TokenSource = () => Promise<string>;

/** openapi-fetch's client for this API, with the caller's bearer token on every request. */
export function createApi(token: TokenSource) {
  const client = createClient<paths>({ baseUrl: apiBaseUrl });
  client.use({
    async onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${await token()}`);
      return request;
    },
  });
  return client;
}
export type Api = ReturnType<typeof createApi>;

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's data, or an ApiError carrying the problem's code, detail and request id. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (error) {
    throw error instanceof ApiError ? error : networkError(error);
  }
  if (!result.response.ok) throw toApiError(result.response, result.error);
  return result.data as T;
}

/** Follows `next_cursor` until the last page (each page at most `limit`); `max` bounds the total. */
export async function allPages<T>(
  page: (cursor: string | undefined) => Promise<{ results: T[]; next_cursor: string | null }>,
  max = 5000,
): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const answer = await page(cursor);
    all.push(...answer.results);
    cursor = answer.next_cursor ?? undefined;
  } while (cursor && all.length < max);
  return all;
}
