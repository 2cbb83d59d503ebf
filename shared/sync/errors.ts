import { RestError } from '@azure/core-rest-pipeline';
import { ServerError } from '@azure/msal-node';
import { KeyUnavailableError } from '../crypto/errors.js';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { UntrustedLinkError } from '../graph/schemas.js';
import { ReauthRequiredError } from '../oauth/reauth-required.js';

/** Graph kept throttling after the client's retries: the job goes back on the queue for later. */
export class ThrottledError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`throttled by Microsoft Graph; retry after ${retryAfterMs} ms`);
    this.name = 'ThrottledError';
  }
}

/** This job no longer holds its integration's lease: it stops without writing more. */
export class LeaseLostError extends Error {
  constructor(
    message: string,
    /** The integration was deleted or disconnected meanwhile (not taken over by another job). */
    readonly gone = false,
  ) {
    super(message);
    this.name = 'LeaseLostError';
  }
}

/** An expired or unknown delta token: the stream starts a full round again. */
export function isDeltaExpired(error: unknown): boolean {
  if (!(error instanceof GraphError)) return false;
  if (error.statusCode === 410) return true;
  return (
    error.statusCode >= 400 &&
    error.statusCode < 500 &&
    /syncStateNotFound|resyncRequired|syncStateInvalid/i.test(`${error.code ?? ''} ${error.body ?? ''}`)
  );
}

/** Retry-After of a Graph error in ms (seconds, fractional seconds, or an HTTP date). */
export function retryAfterMs(error: GraphError, fallbackMs = 5_000): number {
  const header = error.headers?.get('Retry-After');
  if (!header) return fallbackMs;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000));
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : fallbackMs;
}

/** Turns a Graph throttling error into ThrottledError; other errors pass through. */
export function asThrottled(error: unknown): unknown {
  if (error instanceof GraphError && (error.statusCode === 429 || error.statusCode === 503))
    return new ThrottledError(retryAfterMs(error));
  return error;
}

/** The stable code and a safe message recorded in last_sync.error (never an upstream body). */
export function syncErrorCode(error: unknown): { code: string; message: string } {
  if (error instanceof ReauthRequiredError)
    return {
      code: 'reauth_required',
      message: 'Microsoft no longer accepts this connection; connect the account again.',
    };
  if (error instanceof ThrottledError)
    return {
      code: 'graph_throttled',
      message: 'Microsoft Graph is throttling requests; the sync will continue later.',
    };
  if (error instanceof GraphError) {
    if (error.statusCode === 403)
      return { code: 'graph_forbidden', message: 'Microsoft Graph refused access (missing permission).' };
    if (!error.statusCode || error.statusCode < 0)
      return { code: 'graph_unavailable', message: 'Microsoft Graph could not be reached.' };
    if (error.statusCode >= 500)
      return { code: 'graph_unavailable', message: `Microsoft Graph answered ${error.statusCode}.` };
    return { code: 'graph_error', message: `Microsoft Graph answered ${error.statusCode}.` };
  }
  if (error instanceof UntrustedLinkError) {
    const message = `Microsoft Graph sent a ${error.link} that is not its own; it was not followed.`;
    return { code: 'graph_untrusted_link', message };
  }
  if (error instanceof RestError) return { code: 'storage_unavailable', message: 'Storage could not be reached.' };
  if (error instanceof KeyUnavailableError)
    return { code: 'key_unavailable', message: 'The token-encryption key could not be had from Key Vault.' };
  if (error instanceof ServerError && /invalid_client|unauthorized_client/.test(error.errorCode)) {
    return {
      code: 'microsoft_client_rejected',
      message: "Microsoft refused this app's credentials (an expired client secret?).",
    };
  }
  return { code: 'internal_error', message: 'The sync failed unexpectedly.' };
}
