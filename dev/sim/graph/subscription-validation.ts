import type { Ctx } from './context.js';
import type { EffectiveSettings } from './delivery-settings.js';
import { GraphError } from './errors.js';

// Graph's endpoint handshake (change-notifications-delivery-notificationurl-validation.md), run on
// the notificationUrl and on the lifecycleNotificationUrl: POST {url}?validationToken={token} with
// `Content-Type: text/plain; charset=utf-8` and no body; the endpoint must answer 200, text/plain,
// with the URL-decoded token, within 10 seconds. The token is opaque and reads like a sentence:
// ours has spaces, '+' and '/', percent-encoded in the URL, so an endpoint that form-decodes
// ('+' as a space) or echoes the raw query fails as it would against Graph.

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
let tokenCounter = 0;

const validationFailed = (why: string): GraphError =>
  new GraphError(400, 'ValidationError', `Subscription validation request failed. ${why}`);

/** The URL parsed, when it is one the simulator may call (http(s) on a loopback host); else a 400. */
export function loopbackUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw validationFailed(`'${url}' is not a valid URL.`);
  }
  if (!['https:', 'http:'].includes(parsed.protocol) || !LOOPBACK.has(parsed.hostname))
    throw validationFailed('The simulator only delivers to https://localhost or 127.0.0.1.');
  return parsed;
}

export const isLoopback = (url: string): boolean => {
  try {
    loopbackUrl(url);
    return true;
  } catch {
    return false;
  }
};

export async function validateEndpoint(ctx: Ctx, url: string, settings: EffectiveSettings): Promise<void> {
  loopbackUrl(url);
  const token =
    `Validation: Testing client application reachability for subscription Request-Id: ${ctx.ids.requestId}` +
    ` (check+${tokenCounter++}/${ctx.ids.nowMs % 997})`;
  const target = `${url}${url.includes('?') ? '&' : '?'}validationToken=${encodeURIComponent(token)}`;
  const timeoutS = Math.round(settings.handshake_timeout_ms / 100) / 10;
  let failure: string;
  try {
    const res = await ctx.services.sendHttp(target, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      ...(settings.handshake_body !== undefined ? { body: settings.handshake_body } : {}),
      signal: AbortSignal.timeout(settings.handshake_timeout_ms),
    });
    const text = await res.text();
    const type = (res.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (res.status === 200 && text === token && type === 'text/plain') return;
    failure =
      res.status !== 200
        ? `HTTP status code is '${res.status}'.`
        : text !== token
          ? 'Response must exactly match validationToken query parameter.'
          : "Response Content-Type must be 'text/plain'.";
  } catch {
    failure = `Notification endpoint did not respond within ${timeoutS} seconds or could not be reached.`;
  }
  throw validationFailed(failure);
}
