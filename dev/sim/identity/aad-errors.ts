import { randomUUID } from 'node:crypto';
import { escapeHtml, html, json, type SimResponse } from '../http.js';

/** An identity-platform refusal: OAuth error code, AADSTS number and its message. */
export interface AadError {
  status: number;
  error: string;
  code: number;
  message: string;
  suberror?: string;
}

// "2024-01-31 23:59:59Z", the timestamp format of Microsoft's token endpoint errors.
const aadTimestamp = (d = new Date()): string => `${d.toISOString().slice(0, 19).replace('T', ' ')}Z`;

/**
 * The token endpoint's error JSON, as Microsoft sends it:
 * `{error, error_description: "AADSTS…: …\r\nTrace ID…", error_codes, timestamp, trace_id, correlation_id, error_uri}`.
 */
export function aadErrorResponse(e: AadError, baseUrl: string, correlationId?: string): SimResponse {
  const traceId = randomUUID();
  const correlation = correlationId ?? randomUUID();
  const timestamp = aadTimestamp();
  const body = {
    error: e.error,
    error_description: `AADSTS${e.code}: ${e.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${timestamp}`,
    error_codes: [e.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlation,
    error_uri: `${baseUrl}/error?code=${e.code}`,
    ...(e.suberror ? { suberror: e.suberror } : {}),
  };
  return json(e.status, body, { 'cache-control': 'no-store', pragma: 'no-cache' });
}

/** The sign-in page's error screen, shown instead of redirecting to an untrusted redirect URI. */
export function aadErrorPage(e: AadError): SimResponse {
  return html(
    e.status,
    `<!doctype html><html><head><title>Sign in to your account</title></head><body>` +
      `<h1>Sorry, but we're having trouble signing you in.</h1>` +
      `<p id="error">AADSTS${e.code}: ${escapeHtml(e.message)}</p></body></html>`,
  );
}

export const aad = {
  invalidRequest: (message: string, code = 900144): AadError => ({
    status: 400,
    error: 'invalid_request',
    code,
    message,
  }),
  missingParameter: (name: string): AadError => ({
    status: 400,
    error: 'invalid_request',
    code: 900144,
    message: `The request body must contain the following parameter: '${name}'.`,
  }),
  unknownClient: (clientId: string, tenant: string): AadError => ({
    status: 400,
    error: 'unauthorized_client',
    code: 700016,
    message: `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
  }),
  invalidGrant: (code: number, message: string, suberror?: string): AadError => ({
    status: 400,
    error: 'invalid_grant',
    code,
    message,
    ...(suberror ? { suberror } : {}),
  }),
  unknownTenant: (tenant: string): AadError => ({
    status: 400,
    error: 'invalid_tenant',
    code: 90002,
    message: `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  }),
};
