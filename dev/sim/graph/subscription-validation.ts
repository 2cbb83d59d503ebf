import type { Ctx } from './context.js';
import { GraphError } from './errors.js';

// Graph's notificationUrl handshake (change-notifications-delivery-notificationurl-validation.md):
// POST {url}?validationToken={token} with text/plain; the endpoint must answer 200 with the
// decoded token as text/plain within 10 seconds. The simulator only ever calls loopback hosts.

const VALIDATION_TIMEOUT_MS = 10_000;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export async function validateEndpoint(ctx: Ctx, url: string): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new GraphError(
      400,
      'ValidationError',
      `Subscription validation request failed. '${url}' is not a valid URL.`,
    );
  }
  if (!['https:', 'http:'].includes(parsed.protocol) || !LOOPBACK.has(parsed.hostname)) {
    throw new GraphError(
      400,
      'ValidationError',
      'Subscription validation request failed. The simulator only delivers to https://localhost or 127.0.0.1.',
    );
  }
  const token = `Validation: Testing client application reachability for subscription Request-Id: ${ctx.ids.requestId}`;
  const target = `${url}${url.includes('?') ? '&' : '?'}validationToken=${encodeURIComponent(token)}`;
  let failure: string;
  try {
    const res = await ctx.services.sendHttp(target, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      signal: AbortSignal.timeout(VALIDATION_TIMEOUT_MS),
    });
    const text = await res.text();
    if (res.status === 200 && text === token) return;
    failure =
      res.status !== 200
        ? `HTTP status code is '${res.status}'.`
        : 'Response must exactly match validationToken query parameter.';
  } catch {
    failure = 'Notification endpoint did not respond within 10 seconds or could not be reached.';
  }
  throw new GraphError(400, 'ValidationError', `Subscription validation request failed. ${failure}`);
}
