import { createHash } from 'node:crypto';
import type { SimUser } from '../contract.js';
import { json, parseForm, type RequestFacts, type SimRequest, type SimResponse } from '../http.js';
import { aad, aadErrorResponse } from './aad-errors.js';
import type { AppRegistration } from './apps.js';
import { authenticateClient, Refusal } from './client-auth.js';
import type { IdentityContext } from './context.js';
import { missingScopes, parseScopes, type OidcScope, type RequestedScopes } from './scopes.js';

const KNOWN_GRANTS = new Set([
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'device_code',
  'password',
]);

interface Issue {
  user: SimUser;
  app: AppRegistration;
  graphScopes: string[];
  oidc: OidcScope[];
  /** Everything the refresh token may later be exchanged for. */
  grantScopes: string[];
  requested: RequestedScopes;
  nonce?: string;
}

const unique = (scopes: string[]): string[] => {
  const seen = new Set<string>();
  return scopes.filter((s) => !seen.has(s.toLowerCase()) && Boolean(seen.add(s.toLowerCase())));
};

/** `POST /{tenant}/oauth2/v2.0/token`: authorization_code and refresh_token grants, Microsoft's wire format. */
export class TokenEndpoint {
  constructor(private readonly ctx: IdentityContext) {}

  async token(req: SimRequest, facts: RequestFacts): Promise<SimResponse> {
    const form = parseForm(req.body);
    const correlationId = req.headers['client-request-id'];
    const grantType = form.get('grant_type');
    if (grantType) facts.grantType = KNOWN_GRANTS.has(grantType) ? grantType : 'other';
    try {
      if (!grantType) throw new Refusal(aad.missingParameter('grant_type'));
      const app = authenticateClient(this.ctx.apps, this.ctx.tenantId, req, form);
      const issue =
        grantType === 'authorization_code'
          ? this.redeemCode(form, app, facts)
          : grantType === 'refresh_token'
            ? this.redeemRefreshToken(form, app, facts)
            : undefined;
      if (!issue) {
        throw new Refusal({
          status: 400,
          error: 'unsupported_grant_type',
          code: 70003,
          message: `The app requested an unsupported grant type '${grantType}'.`,
        });
      }
      return await this.tokens(issue, form.get('client_info') === '1', this.ctx.issuer.issuerAt(req.origin));
    } catch (error) {
      if (error instanceof Refusal) return aadErrorResponse(error.error, req.origin, correlationId);
      throw error;
    }
  }

  private redeemCode(form: URLSearchParams, app: AppRegistration, facts: RequestFacts): Issue {
    const codeValue = form.get('code');
    if (!codeValue) throw new Refusal(aad.missingParameter('code'));
    const code = this.ctx.grants.findCode(codeValue);
    if (!code || code.clientId.toLowerCase() !== app.client_id.toLowerCase()) {
      throw new Refusal(aad.invalidGrant(70000, "The provided value for the 'code' parameter is not valid."));
    }
    const user = this.user(code.userId);
    facts.user = user.email;
    if (code.redeemed) {
      throw new Refusal(
        aad.invalidGrant(
          54005,
          'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
        ),
      );
    }
    if (code.expiresAt <= Date.now()) {
      throw new Refusal(
        aad.invalidGrant(
          70008,
          'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
        ),
      );
    }
    const redirectUri = form.get('redirect_uri');
    if (redirectUri !== code.redirectUri) {
      throw new Refusal(
        aad.invalidGrant(
          500112,
          `The reply address '${redirectUri ?? ''}' does not match the reply address '${code.redirectUri}' provided when requesting Authorization code.`,
        ),
      );
    }
    const verifier = form.get('code_verifier');
    if (!verifier) throw new Refusal(aad.missingParameter('code_verifier'));
    if (createHash('sha256').update(verifier).digest('base64url') !== code.codeChallenge) {
      throw new Refusal(
        aad.invalidGrant(
          501481,
          'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
        ),
      );
    }
    const requested = parseScopes(form.get('scope'));
    const graphScopes = this.grantedScopes(requested, code.graphScopes, app, user, code.graphScopes);
    code.redeemed = true;
    const grantScopes = unique([...code.graphScopes, ...graphScopes]);
    return {
      user,
      app,
      graphScopes,
      grantScopes,
      oidc: code.oidc,
      requested,
      ...(code.nonce ? { nonce: code.nonce } : {}),
    };
  }

  private redeemRefreshToken(form: URLSearchParams, app: AppRegistration, facts: RequestFacts): Issue {
    const token = form.get('refresh_token');
    if (!token) throw new Refusal(aad.missingParameter('refresh_token'));
    const grant = this.ctx.grants.findRefreshToken(token);
    if (!grant || grant.clientId.toLowerCase() !== app.client_id.toLowerCase()) {
      throw new Refusal(aad.invalidGrant(9002313, 'Invalid request. Request is malformed or invalid.'));
    }
    const user = this.user(grant.userId);
    facts.user = user.email;
    if (this.ctx.grants.isRevoked(grant)) {
      throw new Refusal(
        aad.invalidGrant(
          50173,
          `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${new Date(grant.issuedAt).toISOString()}'.`,
        ),
      );
    }
    if (grant.expiresAt <= Date.now()) {
      throw new Refusal(
        aad.invalidGrant(
          700082,
          `The refresh token has expired due to inactivity. The token was issued on ${new Date(grant.issuedAt).toISOString()} and was inactive for ${this.ctx.grants.lifetimes.refresh_token_ttl_s} seconds.`,
        ),
      );
    }
    const requested = parseScopes(form.get('scope'));
    const graphScopes = this.grantedScopes(requested, grant.graphScopes, app, user);
    return {
      user,
      app,
      graphScopes,
      grantScopes: unique([...grant.graphScopes, ...graphScopes]),
      oidc: grant.oidc,
      requested,
    };
  }

  /** The Graph permissions of the new access token: those asked (all consented) or, if none, the grant's. */
  private grantedScopes(
    requested: RequestedScopes,
    grantScopes: string[],
    app: AppRegistration,
    user: SimUser,
    /** A code's redemption: the token gets what the code's consent granted of the scopes asked (maybe fewer). */
    codeScopes?: string[],
  ): string[] {
    if (requested.invalid.length > 0) {
      throw new Refusal({
        status: 400,
        error: 'invalid_scope',
        code: 70011,
        message: `The provided value for the input parameter 'scope' is not valid. The scope ${requested.invalid.join(' ')} is not valid.`,
      });
    }
    const consented = [...grantScopes, ...this.ctx.grants.consented(app.client_id, user.id)];
    if (requested.graphDefault) return unique([...consented, ...requested.graph]);
    if (requested.graph.length === 0) return grantScopes;
    const missing = missingScopes(requested.graph, consented);
    if (codeScopes && missing.length > 0 && missing.length < requested.graph.length) {
      return requested.graph.filter((x) => !missing.includes(x));
    }
    if (missing.length > 0) {
      throw new Refusal(
        aad.invalidGrant(
          65001,
          `The user or administrator has not consented to use the application with ID '${app.client_id}'. Send an interactive authorization request for this user and resource.`,
          'consent_required',
        ),
      );
    }
    return requested.graph;
  }

  private user(userId: string): SimUser {
    const user = this.ctx.graph.findUser(userId);
    if (!user) throw new Refusal(aad.invalidGrant(50034, 'The user account does not exist in the directory.'));
    return user;
  }

  /** Tokens name the issuer as the client asked for it (the origin of its token request). */
  private async tokens(issue: Issue, withClientInfo: boolean, issuer: string): Promise<SimResponse> {
    const { user, app, graphScopes, oidc, requested } = issue;
    const ttl = this.ctx.grants.lifetimes.access_token_ttl_s;
    const accessToken = await this.ctx.issuer.graphAccessToken(user, app.client_id, graphScopes, ttl, issuer);
    const spelled = graphScopes.map((s) => requested.spelled.get(s.toLowerCase()) ?? s);
    const body: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: [...spelled, ...oidc.filter((s) => s !== 'offline_access')].join(' '),
      expires_in: ttl,
      ext_expires_in: ttl,
      access_token: accessToken,
    };
    // Microsoft returns a refresh token only for offline_access, an id_token only for openid.
    if (oidc.includes('offline_access')) {
      body.refresh_token = this.ctx.grants.issueRefreshToken({
        clientId: app.client_id,
        userId: user.id,
        graphScopes: issue.grantScopes,
        oidc,
      });
    }
    if (oidc.includes('openid'))
      body.id_token = await this.ctx.issuer.idToken(user, app.client_id, issue.nonce, issuer);
    if (withClientInfo) body.client_info = this.ctx.issuer.clientInfo(user);
    return json(200, body, { 'cache-control': 'no-store', pragma: 'no-cache' });
  }
}
