import type { ApiError } from '../api/problem';

const TITLES: Record<string, string> = {
  unauthenticated: 'You are signed out',
  not_found: 'Not found',
  validation_failed: 'The request was not valid',
  reauth_required: 'Reconnect needed',
  invalid_state: 'The sign-in expired or was already used',
  consent_denied: 'Access was declined',
  oauth_exchange_failed: 'Microsoft refused the sign-in',
  insufficient_scope: 'More access needed',
  network_error: 'The API could not be reached',
  service_unavailable: 'The service is unavailable',
  internal_error: 'Something went wrong',
};

/** Shows a problem+json answer as the API gave it: its detail, the field errors and the request id. */
export function ErrorBanner(props: {
  error: ApiError | null;
  onDismiss?: () => void;
  /** `insufficient_scope`: connect the account again with read and write access (API.md "Access"). */
  onUpgrade?: () => void;
}) {
  const { error, onDismiss, onUpgrade } = props;
  if (!error) return null;
  return (
    <div class="problem" role="alert" data-code={error.code}>
      <div class="problem-text">
        <strong>{TITLES[error.code] ?? 'The request failed'}</strong>
        <span> — {error.detail}</span>
        {error.fieldErrors.length > 0 && (
          <ul>
            {error.fieldErrors.map((e) => (
              <li key={e.field}>
                <code>{e.field}</code>: {e.message}
              </li>
            ))}
          </ul>
        )}
        {error.code === 'insufficient_scope' && onUpgrade && (
          <p>
            {error.requiredScopes.length > 0 && <>Needs {error.requiredScopes.join(' or ')}. </>}
            <button type="button" onClick={onUpgrade}>
              Allow read and write
            </button>
          </p>
        )}
        <div class="problem-meta">
          <code>{error.code}</code>
          {error.status > 0 && <span> · HTTP {error.status}</span>}
          {error.requestId && (
            <span>
              {' '}
              · request id <code class="request-id">{error.requestId}</code>
            </span>
          )}
        </div>
      </div>
      {onDismiss && (
        <button type="button" class="ghost" onClick={onDismiss} aria-label="Dismiss the error">
          ×
        </button>
      )}
    </div>
  );
}
