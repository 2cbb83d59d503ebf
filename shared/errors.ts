/** Stable, snake_case error codes: the SPA switches on these, so they never change meaning. */
export const errorCatalog = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  invalid_json: { status: 400, title: 'The request body is not valid JSON' },
  invalid_state: { status: 400, title: 'The OAuth state is not valid' },
  consent_denied: { status: 400, title: 'The user did not grant consent' },
  oauth_exchange_failed: { status: 400, title: 'Microsoft refused the authorization code' },
  invalid_sync_type: { status: 400, title: 'That sync type does not apply to this integration' },
  access_downgrade: { status: 400, title: 'The connection cannot be narrowed: disconnect first' },
  not_an_invitation: { status: 400, title: 'The caller organizes this event: there is no invitation to answer' },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  insufficient_scope: { status: 403, title: 'The integration lacks a permission this needs' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  reauth_required: { status: 409, title: 'The Microsoft account must be connected again' },
  integration_limit_reached: { status: 409, title: 'The caller has as many integrations as allowed' },
  request_in_progress: { status: 409, title: 'A request with this Idempotency-Key is still in progress' },
  precondition_failed: { status: 412, title: 'The item changed since the given etag' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'The request body must be application/json' },
  idempotency_key_reused: { status: 422, title: 'This Idempotency-Key was used with another request' },
  too_many_pending_sign_ins: { status: 429, title: 'Too many sign-ins are pending' },
  throttled: { status: 429, title: 'Microsoft is throttling this account; retry after Retry-After' },
  internal_error: { status: 500, title: 'Internal error' },
  service_unavailable: { status: 503, title: 'A dependency is unavailable' },
} as const;

export type ErrorCode = keyof typeof errorCatalog;

export interface FieldError {
  field: string;
  message: string;
}

/** Members a problem may carry beyond RFC 9457's (API.md): each names what the caller can act on. */
export interface ProblemExtras {
  /** insufficient_scope: the Graph scopes the endpoint needs (any one set of them would do). */
  required_scopes?: string[];
}

/** An error whose code, status and message are safe to show to the caller as they are. */
export class AppError extends Error {
  readonly status: number;
  readonly title: string;
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
    readonly extras?: ProblemExtras,
  ) {
    super(detail ?? errorCatalog[code].title);
    this.name = 'AppError';
    this.status = errorCatalog[code].status;
    this.title = errorCatalog[code].title;
  }
}

export const notFound = (): AppError => new AppError('not_found', 'No such resource.');
export const unauthenticated = (detail = 'A valid bearer token is required.'): AppError =>
  new AppError('unauthenticated', detail, undefined, { 'WWW-Authenticate': 'Bearer' });
