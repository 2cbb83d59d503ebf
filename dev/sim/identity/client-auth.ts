import type { SimRequest } from '../http.js';
import { aad, type AadError } from './aad-errors.js';
import type { AppRegistration, AppRegistry } from './apps.js';

/** A refusal the token endpoint answers with Microsoft's error JSON. */
export class Refusal {
  constructor(readonly error: AadError) {}
}

/**
 * The confidential client's credentials: client_secret_post (what MSAL sends) or
 * client_secret_basic. Unknown client → unauthorized_client; missing or wrong secret → invalid_client (401).
 */
export function authenticateClient(
  apps: AppRegistry,
  tenantId: string,
  req: SimRequest,
  form: URLSearchParams,
): AppRegistration {
  let clientId = form.get('client_id');
  let secret = form.get('client_secret');
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (basic?.[1]) {
    // RFC 6749 §2.3.1: both parts form-urlencoded, joined by the first colon.
    const pair = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = pair.indexOf(':');
    if (colon > 0) {
      clientId ??= formDecode(pair.slice(0, colon));
      secret ??= formDecode(pair.slice(colon + 1));
    }
  }
  if (!clientId) throw new Refusal(aad.missingParameter('client_id'));
  const app = apps.find(clientId);
  if (!app) throw new Refusal(aad.unknownClient(clientId, tenantId));
  if (!secret) {
    throw new Refusal({
      status: 401,
      error: 'invalid_client',
      code: 7000218,
      message: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    });
  }
  if (!apps.secretMatches(app, secret)) {
    throw new Refusal({
      status: 401,
      error: 'invalid_client',
      code: 7000215,
      message: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.client_id}'.`,
    });
  }
  return app;
}

function formDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
