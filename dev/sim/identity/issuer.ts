import { createHash, randomBytes } from 'node:crypto';
import type { SimUser } from '../contract.js';
import type { SigningKeys } from './keys.js';
import { GRAPH_APP_ID, GRAPH_RESOURCE } from './scopes.js';

/** Options of a caller token (the SPA's token for the app's API). Times in seconds from now. */
export interface CallerTokenOptions {
  audience?: string;
  issuer?: string;
  expires_in?: number;
  not_before_in?: number;
}

/** The demo SPA's client id: the `azp` of every caller token (AUTH_ALLOWED_CLIENT_IDS may name it). */
export const SIM_SPA_CLIENT_ID = '5f1c7a3e-51aa-4c0e-9d1b-5a0c0ffee5a1';
/** The delegated scope the API exposes and its caller tokens carry in `scp` (AUTH_REQUIRED_SCOPE's default). */
export const SIM_API_SCOPE = 'access_as_user';

const epoch = (): number => Math.floor(Date.now() / 1000);
// Microsoft's `sub` is pairwise: stable for one user and one app, different across apps.
const pairwiseSub = (audience: string, oid: string): string =>
  createHash('sha256').update(`${audience}|${oid}`).digest('base64url').slice(0, 43);

/** Mints every token the simulated identity platform hands out, all signed with one RS256 key. */
export class TokenIssuer {
  readonly issuer: string;

  constructor(
    baseUrl: string,
    private readonly tenantId: string,
    private readonly keys: SigningKeys,
    readonly callerAudience: string,
    readonly callerClientId: string = SIM_SPA_CLIENT_ID,
  ) {
    this.issuer = this.issuerAt(baseUrl);
  }

  /** The issuer as named on an origin the simulator answers as (`https://127.0.0.1:PORT/{tid}/v2.0`). */
  issuerAt(origin: string): string {
    return `${origin}/${this.tenantId}/v2.0`;
  }

  get jwks(): SigningKeys['jwks'] {
    return this.keys.jwks;
  }

  /** A Graph access token for a user: aud Graph, `scp` = the granted Graph permissions. */
  graphAccessToken(
    user: SimUser,
    clientId: string,
    scopes: string[],
    ttlSeconds: number,
    issuer = this.issuer,
  ): Promise<string> {
    const iat = epoch();
    return this.keys.sign({
      aud: GRAPH_RESOURCE,
      iss: issuer,
      iat,
      nbf: iat,
      exp: iat + ttlSeconds,
      appid: clientId,
      azp: clientId,
      tid: user.tenantId,
      oid: user.id,
      sub: pairwiseSub(GRAPH_APP_ID, user.id),
      name: user.displayName,
      preferred_username: user.email,
      upn: user.email,
      scp: scopes.join(' '),
      uti: randomBytes(16).toString('base64url'),
      ver: '2.0',
    });
  }

  /** The OpenID Connect id_token: aud = the client, `nonce` echoed when the authorize request had one. */
  idToken(user: SimUser, clientId: string, nonce?: string, issuer = this.issuer): Promise<string> {
    const iat = epoch();
    return this.keys.sign({
      aud: clientId,
      iss: issuer,
      iat,
      nbf: iat,
      exp: iat + 3600,
      tid: user.tenantId,
      oid: user.id,
      sub: pairwiseSub(clientId, user.id),
      name: user.displayName,
      preferred_username: user.email,
      email: user.email,
      ...(nonce ? { nonce } : {}),
      ver: '2.0',
    });
  }

  /**
   * A token the SPA would present to the app's API (the app validates it against the JWKS): a
   * delegated v2 access token, `scp` = the API's scope, `azp` = the SPA's client id, as Entra mints it.
   */
  callerToken(user: SimUser, options: CallerTokenOptions = {}): Promise<string> {
    const now = epoch();
    const audience = options.audience ?? this.callerAudience;
    return this.keys.sign({
      aud: audience,
      iss: options.issuer ?? this.issuer,
      iat: now,
      nbf: now + (options.not_before_in ?? 0),
      exp: now + (options.expires_in ?? 3600),
      tid: user.tenantId,
      oid: user.id,
      sub: pairwiseSub(audience, user.id),
      name: user.displayName,
      preferred_username: user.email,
      scp: SIM_API_SCOPE,
      azp: this.callerClientId,
      azpacr: '0',
      uti: randomBytes(16).toString('base64url'),
      ver: '2.0',
    });
  }

  /** `client_info`: base64url JSON `{uid, utid}`, from which MSAL builds the account's home id. */
  clientInfo(user: SimUser): string {
    return Buffer.from(JSON.stringify({ uid: user.id, utid: user.tenantId })).toString('base64url');
  }
}
