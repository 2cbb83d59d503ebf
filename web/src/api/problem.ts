import type { components } from './schema';

/** The problem+json body every 4xx/5xx carries (RFC 9457), as the OpenAPI document describes it. */
export type Problem = components['schemas']['Problem'];

/** A failed API call: the problem's detail and request id are what the UI shows and a user quotes. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly requestId: string | null,
    readonly fieldErrors: { field: string; message: string }[] = [],
    /** `insufficient_scope`: the scopes to ask for (run initiate again with `access: "read_write"`). */
    readonly requiredScopes: string[] = [],
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Builds the error from whatever came back: problem+json when the API answered, else the bare status. */
export function toApiError(response: Response, body: unknown): ApiError {
  const requestId = response.headers.get('x-request-id');
  if (isRecord(body) && typeof body.code === 'string') {
    const errors = Array.isArray(body.errors) ? body.errors.filter(isRecord) : [];
    return new ApiError(
      response.status,
      body.code,
      typeof body.detail === 'string' ? body.detail : String(body.title ?? response.statusText),
      typeof body.request_id === 'string' ? body.request_id : requestId,
      errors.map((e) => ({ field: String(e.field), message: String(e.message) })),
      Array.isArray(body.required_scopes) ? body.required_scopes.map(String) : [],
    );
  }
  return new ApiError(response.status, 'http_error', `The API answered ${response.status}.`, requestId);
}

/** A network failure (the API unreachable) in the same shape, so one component shows every error. */
export function networkError(error: unknown): ApiError {
  return new ApiError(
    0,
    'network_error',
    error instanceof Error ? error.message : 'The API could not be reached.',
    null,
  );
}
