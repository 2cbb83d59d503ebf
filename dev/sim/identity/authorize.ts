import { randomUUID } from 'node:crypto';
import type { SimUser } from '../contract.js';
import { escapeHtml, html, parseForm, redirect, type SimRequest, type SimResponse } from '../http.js';
import { aad, aadErrorPage, type AadError } from './aad-errors.js';
import type { IdentityContext } from './context.js';
import { parseScopes, type OidcScope } from './scopes.js';

interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  state?: string;
  nonce?: string;
  codeChallenge: string;
  user: SimUser;
  graphScopes: string[];
  oidc: OidcScope[];
  expiresAt: number;
}

const PENDING_TTL_MS = 10 * 60 * 1000;
const pkceChallenge = /^[A-Za-z0-9_-]{43}$/;

/** `GET /{tenant}/oauth2/v2.0/authorize` and the consent page's answer. */
export class AuthorizeEndpoint {
  private readonly pending = new Map<string, PendingAuthorization>();

  constructor(private readonly ctx: IdentityContext) {}

  authorize(req: SimRequest, tenant: string): SimResponse {
    const q = req.url.searchParams;
    const clientId = q.get('client_id');
    const app = this.ctx.apps.find(clientId);
    // Until the client and redirect URI are trusted, errors are shown, never redirected.
    if (!clientId) return aadErrorPage(aad.missingParameter('client_id'));
    if (!app) return aadErrorPage(aad.unknownClient(clientId, tenant));
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri) return aadErrorPage(aad.missingParameter('redirect_uri'));
    if (!this.ctx.apps.allowsRedirect(app, redirectUri)) {
      return aadErrorPage({
        status: 400,
        error: 'invalid_request',
        code: 50011,
        message: `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'.`,
      });
    }
    const state = q.get('state') ?? undefined;
    const fail = (e: AadError): SimResponse => this.redirectError(redirectUri, e, state);

    const responseType = q.get('response_type');
    if (!responseType) return fail(aad.missingParameter('response_type'));
    if (responseType !== 'code') {
      return fail({
        status: 400,
        error: 'unsupported_response_type',
        code: 70005,
        message: `response_type '${responseType}' is not supported; use 'code'.`,
      });
    }
    const responseMode = q.get('response_mode');
    if (responseMode && responseMode !== 'query')
      return fail(
        aad.invalidRequest(`response_mode '${responseMode}' is not supported by the simulator; use 'query'.`, 90023),
      );
    const scopes = parseScopes(q.get('scope'));
    if (!q.get('scope')) return fail(aad.missingParameter('scope'));
    if (scopes.invalid.length > 0) {
      return fail({
        status: 400,
        error: 'invalid_scope',
        code: 70011,
        message: `The provided value for the input parameter 'scope' is not valid. The scope ${scopes.invalid.join(' ')} is not valid.`,
      });
    }
    const challenge = q.get('code_challenge');
    if (!challenge) return fail(aad.missingParameter('code_challenge'));
    if (q.get('code_challenge_method') !== 'S256')
      return fail(aad.invalidRequest("code_challenge_method must be 'S256'.", 90023));
    if (!pkceChallenge.test(challenge))
      return fail(aad.invalidRequest('code_challenge is not a base64url SHA-256 digest.', 90023));

    const hint = q.get('login_hint');
    const user = hint ? this.ctx.graph.findUser(hint) : this.ctx.graph.listUsers()[0];
    if (!user) {
      return aadErrorPage({
        status: 400,
        error: 'invalid_request',
        code: 50034,
        message: `The user account ${hint ?? '(none)'} does not exist in the '${this.ctx.tenantId}' directory.`,
      });
    }
    const withheld = new Set((this.ctx.consent.withholdNext ?? []).map((x) => x.toLowerCase()));
    this.ctx.consent.withholdNext = undefined;
    // The user consents to what was asked, less what the consent control holds back: the code then
    // carries only what was granted, and so does every token redeemed from it.
    const graphScopes = (
      scopes.graphDefault
        ? [...new Set([...this.ctx.grants.consented(app.client_id, user.id), ...scopes.graph])]
        : scopes.graph
    ).filter((x) => !withheld.has(x.toLowerCase()));
    const pending: PendingAuthorization = {
      clientId: app.client_id,
      redirectUri,
      state,
      nonce: q.get('nonce') ?? undefined,
      codeChallenge: challenge,
      user,
      graphScopes,
      oidc: scopes.oidc,
      expiresAt: Date.now() + PENDING_TTL_MS,
    };

    const forced = this.ctx.consent.next;
    this.ctx.consent.next = undefined;
    if (forced === 'deny') return this.denied(pending);
    if (forced === 'accept' || this.ctx.consent.auto) return this.accepted(pending);
    return this.consentPage(req.origin, tenant, pending);
  }

  /** `POST /{tenant}/oauth2/v2.0/authorize/consent` from the consent page's Accept/Decline forms. */
  answer(req: SimRequest): SimResponse {
    const form = parseForm(req.body);
    const id = form.get('request') ?? '';
    const pending = this.pending.get(id);
    this.pending.delete(id);
    if (!pending || pending.expiresAt < Date.now()) {
      return aadErrorPage({
        status: 400,
        error: 'invalid_request',
        code: 90023,
        message: 'The sign-in request is unknown or has expired. Start again from the application.',
      });
    }
    return form.get('decision') === 'accept' ? this.accepted(pending) : this.denied(pending);
  }

  private accepted(p: PendingAuthorization): SimResponse {
    this.ctx.grants.consent(p.clientId, p.user.id, p.graphScopes);
    const code = this.ctx.grants.issueCode({
      clientId: p.clientId,
      redirectUri: p.redirectUri,
      userId: p.user.id,
      graphScopes: p.graphScopes,
      oidc: p.oidc,
      codeChallenge: p.codeChallenge,
      ...(p.nonce ? { nonce: p.nonce } : {}),
    });
    return this.redirectWith(p.redirectUri, { code, state: p.state, session_state: randomUUID() });
  }

  private denied(p: PendingAuthorization): SimResponse {
    return this.redirectError(
      p.redirectUri,
      { status: 400, error: 'access_denied', code: 65004, message: 'User declined to consent to access the app.' },
      p.state,
      'cancel',
    );
  }

  private redirectError(redirectUri: string, e: AadError, state?: string, subcode?: string): SimResponse {
    return this.redirectWith(redirectUri, {
      error: e.error,
      ...(subcode ? { error_subcode: subcode } : {}),
      error_description: `AADSTS${e.code}: ${e.message}`,
      state,
    });
  }

  private redirectWith(redirectUri: string, params: Record<string, string | undefined>): SimResponse {
    const target = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) target.searchParams.set(k, v);
    return redirect(target.toString());
  }

  private consentPage(origin: string, tenant: string, p: PendingAuthorization): SimResponse {
    if (this.pending.size > 1000) {
      for (const [id, old] of this.pending) if (old.expiresAt < Date.now()) this.pending.delete(id);
    }
    const id = randomUUID();
    this.pending.set(id, p);
    const action = `${origin}/${encodeURIComponent(tenant)}/oauth2/v2.0/authorize/consent`;
    const form = (decision: string, label: string): string =>
      `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="request" value="${id}">` +
      `<input type="hidden" name="decision" value="${decision}"><button type="submit" id="${decision}">${label}</button></form>`;
    const scopes = [...p.graphScopes, ...p.oidc].map((s) => `<li>${escapeHtml(s)}</li>`).join('');
    return html(
      200,
      `<!doctype html><html><head><title>Permissions requested</title></head><body>` +
        `<h1>Permissions requested</h1><p>${escapeHtml(p.user.displayName)} (${escapeHtml(p.user.email)})</p>` +
        `<p>The app <b>${escapeHtml(p.clientId)}</b> would like to:</p><ul>${scopes}</ul>` +
        `${form('accept', 'Accept')}${form('deny', 'Decline')}</body></html>`,
    );
  }
}
