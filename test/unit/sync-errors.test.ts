import { RestError } from '@azure/core-rest-pipeline';
import { ServerError } from '@azure/msal-node';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeyUnavailableError } from '../../shared/crypto/errors.js';
import { asThrottled, isDeltaExpired, retryAfterMs, syncErrorCode, ThrottledError } from '../../shared/sync/errors.js';
import { ReauthRequiredError } from '../../shared/oauth/reauth-required.js';

/** A GraphError as the Graph client builds it from an answer: status, code, body and headers. */
function graphError(status: number, extra: { code?: string; body?: string; headers?: Record<string, string> } = {}) {
  const error = new GraphError(status, `status ${status}`);
  error.code = extra.code ?? null;
  error.body = extra.body;
  if (extra.headers) error.headers = new Headers(extra.headers);
  return error;
}

describe('retryAfterMs', () => {
  afterEach(() => void vi.useRealTimers());

  it('reads whole seconds', () => {
    expect(retryAfterMs(graphError(429, { headers: { 'Retry-After': '7' } }))).toBe(7_000);
    expect(retryAfterMs(graphError(429, { headers: { 'Retry-After': '0' } }))).toBe(0);
  });

  it('reads fractional seconds, rounding up to the next millisecond', () => {
    expect(retryAfterMs(graphError(429, { headers: { 'Retry-After': '1.5' } }))).toBe(1_500);
    expect(retryAfterMs(graphError(429, { headers: { 'Retry-After': '0.0001' } }))).toBe(1);
  });

  it('reads an HTTP date as the time left until then, never negative', () => {
    vi.useFakeTimers({ now: Date.parse('2026-03-01T12:00:00Z') });
    const in90s = new Date(Date.parse('2026-03-01T12:01:30Z')).toUTCString();
    expect(retryAfterMs(graphError(503, { headers: { 'Retry-After': in90s } }))).toBe(90_000);
    const past = new Date(Date.parse('2026-03-01T11:00:00Z')).toUTCString();
    expect(retryAfterMs(graphError(503, { headers: { 'Retry-After': past } }))).toBe(0);
  });

  it('clamps a negative number to zero', () => {
    expect(retryAfterMs(graphError(429, { headers: { 'Retry-After': '-3' } }))).toBe(0);
  });

  it('falls back when the header is absent or unreadable', () => {
    expect(retryAfterMs(graphError(429))).toBe(5_000);
    expect(retryAfterMs(graphError(429, { headers: { 'Retry-After': 'soon' } }))).toBe(5_000);
    expect(retryAfterMs(graphError(429, { headers: { 'Retry-After': 'soon' } }), 1_234)).toBe(1_234);
  });
});

describe('asThrottled', () => {
  it('turns 429 and 503 into ThrottledError carrying the Retry-After', () => {
    for (const status of [429, 503]) {
      const out = asThrottled(graphError(status, { headers: { 'Retry-After': '2' } }));
      expect(out).toBeInstanceOf(ThrottledError);
      expect((out as ThrottledError).retryAfterMs).toBe(2_000);
    }
  });

  it('passes other errors through unchanged', () => {
    const notFound = graphError(404);
    const plain = new Error('x');
    expect(asThrottled(notFound)).toBe(notFound);
    expect(asThrottled(graphError(504))).toBeInstanceOf(GraphError);
    expect(asThrottled(plain)).toBe(plain);
  });
});

describe('delta-token expiry (isDeltaExpired)', () => {
  it('is 410 Gone, whatever the body', () => {
    expect(isDeltaExpired(graphError(410))).toBe(true);
    expect(isDeltaExpired(graphError(410, { code: 'Something' }))).toBe(true);
  });

  it('is a 4xx naming a lost sync state in its code or body', () => {
    expect(isDeltaExpired(graphError(400, { code: 'syncStateNotFound' }))).toBe(true);
    expect(isDeltaExpired(graphError(400, { body: '{"error":{"code":"resyncRequired"}}' }))).toBe(true);
    expect(isDeltaExpired(graphError(409, { code: 'SyncStateInvalid' }))).toBe(true);
  });

  it('is not any other Graph error, nor a 5xx naming a sync state, nor a non-Graph error', () => {
    expect(isDeltaExpired(graphError(400, { code: 'BadRequest' }))).toBe(false);
    expect(isDeltaExpired(graphError(404))).toBe(false);
    expect(isDeltaExpired(graphError(429))).toBe(false);
    expect(isDeltaExpired(graphError(500, { code: 'syncStateNotFound' }))).toBe(false);
    expect(isDeltaExpired(Object.assign(new Error('gone'), { statusCode: 410 }))).toBe(false);
  });
});

describe('syncErrorCode', () => {
  const cases: [string, unknown, string][] = [
    ['lost consent', new ReauthRequiredError('invalid_grant'), 'reauth_required'],
    ['throttling after retries', new ThrottledError(1_000), 'graph_throttled'],
    ['403', graphError(403), 'graph_forbidden'],
    ['no answer (status -1)', graphError(-1), 'graph_unavailable'],
    ['no answer (status 0)', graphError(0), 'graph_unavailable'],
    ['500', graphError(500), 'graph_unavailable'],
    ['503 not turned into ThrottledError', graphError(503), 'graph_unavailable'],
    ['404', graphError(404), 'graph_error'],
    ['Storage', new RestError('boom', { statusCode: 500 }), 'storage_unavailable'],
    ['Key Vault', new KeyUnavailableError('vault down'), 'key_unavailable'],
    [
      'invalid_client',
      new ServerError('invalid_client', 'AADSTS7000215: Invalid client secret'),
      'microsoft_client_rejected',
    ],
    ['unauthorized_client', new ServerError('unauthorized_client', 'nope'), 'microsoft_client_rejected'],
    ['another MSAL server error', new ServerError('temporarily_unavailable', 'later'), 'internal_error'],
    ['anything else', new TypeError('x is undefined'), 'internal_error'],
    ['a thrown string', 'oops', 'internal_error'],
  ];

  it.each(cases)('maps %s to its stable code', (_name, error, code) => {
    expect(syncErrorCode(error).code).toBe(code);
  });

  it('names the status for Graph errors and never quotes an upstream body or message', () => {
    const upstream = graphError(502, { body: 'secret-upstream-body' });
    upstream.message = 'secret-upstream-message';
    expect(syncErrorCode(upstream).message).toBe('Microsoft Graph answered 502.');
    expect(syncErrorCode(graphError(404)).message).toBe('Microsoft Graph answered 404.');
    const internal = syncErrorCode(new Error('secret-internal-detail'));
    expect(internal.message).not.toContain('secret');
    const vault = syncErrorCode(new KeyUnavailableError('secret https://vault.example/secrets/x'));
    expect(vault.message).not.toContain('secret ');
  });
});
