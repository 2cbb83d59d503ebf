import type { SigningKeys } from './keys.js';
import { GRAPH_APP_ID, GRAPH_RESOURCE } from './scopes.js';

/** The caller of a Graph request, as its access token says. */
export interface GraphCaller {
  oid: string;
  scopes: string[];
  /** `appid` (v1) or `azp` (v2): the client the token was issued to. */
  clientId?: string;
  /** `iat` in ms. */
  issuedAtMs?: number;
}

export type GraphTokenCheck = { ok: true; caller: GraphCaller } | { ok: false; reason: string };

const CACHE_LIMIT = 5_000;

/**
 * Checks Graph bearer tokens: signature (the simulator's key), issuer, audience (Graph's URI or
 * app id), expiry, and a `scp` claim (Graph refuses delegated tokens without one). A token that
 * passed is remembered until it expires, so benchmark traffic does not pay an RSA verify per call.
 */
export class GraphTokenChecker {
  private readonly passed = new Map<string, { caller: GraphCaller; expiresAtMs: number }>();

  constructor(
    private readonly keys: SigningKeys,
    private readonly issuers: string[],
  ) {}

  async check(token: string): Promise<GraphTokenCheck> {
    const known = this.passed.get(token);
    if (known) {
      if (known.expiresAtMs > Date.now()) return { ok: true, caller: known.caller };
      this.passed.delete(token);
    }
    try {
      const { payload } = await this.keys.verify(token, {
        issuer: this.issuers,
        audience: [GRAPH_RESOURCE, GRAPH_APP_ID],
      });
      if (typeof payload.oid !== 'string')
        return { ok: false, reason: 'Access token validation failure. The token has no oid claim.' };
      if (typeof payload.scp !== 'string')
        return { ok: false, reason: 'Either scp or roles claim need to be present in the token.' };
      const clientId = typeof payload.appid === 'string' ? payload.appid : payload.azp;
      const caller: GraphCaller = {
        oid: payload.oid,
        scopes: payload.scp.split(' ').filter((s) => s.length > 0),
        ...(typeof clientId === 'string' ? { clientId } : {}),
        ...(typeof payload.iat === 'number' ? { issuedAtMs: payload.iat * 1000 } : {}),
      };
      if (this.passed.size >= CACHE_LIMIT) this.passed.clear();
      this.passed.set(token, { caller, expiresAtMs: (payload.exp ?? 0) * 1000 });
      return { ok: true, caller };
    } catch (error) {
      return { ok: false, reason: reasonFor((error as { code?: string }).code) };
    }
  }
}

// Graph's own wording for each kind of failure.
function reasonFor(code: string | undefined): string {
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'Lifetime validation failed, the token is expired.';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return 'Access token validation failure. Invalid audience or issuer.';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'Access token validation failure. Invalid signature.';
    default:
      return 'IDX14100: JWT is not well formed.';
  }
}
