import { randomBytes } from 'node:crypto';
import type { OidcScope } from './scopes.js';

/** Lifetimes the token controls can change (`POST /_sim/tokens`). */
export interface TokenLifetimes {
  access_token_ttl_s: number;
  refresh_token_ttl_s: number;
  authorization_code_ttl_s: number;
}

// Microsoft's defaults: ~1 h access tokens (60–90 min), 90-day refresh tokens, 10-minute codes.
export const defaultLifetimes: TokenLifetimes = {
  access_token_ttl_s: 3600,
  refresh_token_ttl_s: 90 * 24 * 3600,
  authorization_code_ttl_s: 600,
};

export interface AuthCode {
  clientId: string;
  redirectUri: string;
  userId: string;
  graphScopes: string[];
  oidc: OidcScope[];
  codeChallenge: string;
  nonce?: string;
  expiresAt: number;
  redeemed: boolean;
}

export interface RefreshGrant {
  clientId: string;
  userId: string;
  graphScopes: string[];
  oidc: OidcScope[];
  /** The user's revocation generation at issue: a later revoke makes this grant invalid. */
  generation: number;
  issuedAt: number;
  expiresAt: number;
}

const opaque = (bytes: number): string => randomBytes(bytes).toString('base64url');

/**
 * Authorization codes, refresh tokens, consents and revocations. Refresh tokens follow Microsoft:
 * each use returns a new one and the old one stays valid until it expires; revoking a user's
 * sessions invalidates every refresh token issued before the revoke.
 */
export class GrantStore {
  lifetimes: TokenLifetimes = { ...defaultLifetimes };
  private readonly codes = new Map<string, AuthCode>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();
  private readonly consents = new Map<string, Set<string>>();
  private readonly generations = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  issueCode(grant: Omit<AuthCode, 'expiresAt' | 'redeemed'>): string {
    if (this.codes.size > 10_000) this.pruneCodes();
    const code = opaque(48);
    this.codes.set(code, {
      ...grant,
      expiresAt: this.now() + this.lifetimes.authorization_code_ttl_s * 1000,
      redeemed: false,
    });
    return code;
  }

  findCode(code: string): AuthCode | undefined {
    return this.codes.get(code);
  }

  issueRefreshToken(grant: Omit<RefreshGrant, 'generation' | 'issuedAt' | 'expiresAt'>): string {
    const token = opaque(64);
    const issuedAt = this.now();
    this.refreshTokens.set(token, {
      ...grant,
      generation: this.generation(grant.userId),
      issuedAt,
      expiresAt: issuedAt + this.lifetimes.refresh_token_ttl_s * 1000,
    });
    return token;
  }

  findRefreshToken(token: string): RefreshGrant | undefined {
    return this.refreshTokens.get(token);
  }

  isRevoked(grant: RefreshGrant): boolean {
    return grant.generation < this.generation(grant.userId);
  }

  /** Invalidates every refresh token the user holds; returns how many were live. */
  revoke(userId: string): number {
    let live = 0;
    for (const grant of this.refreshTokens.values()) {
      if (grant.userId === userId && !this.isRevoked(grant) && grant.expiresAt > this.now()) live += 1;
    }
    this.generations.set(userId, this.generation(userId) + 1);
    return live;
  }

  consent(clientId: string, userId: string, scopes: string[]): void {
    const key = `${clientId.toLowerCase()}|${userId}`;
    const set = this.consents.get(key) ?? new Set<string>();
    for (const s of scopes) set.add(s);
    this.consents.set(key, set);
  }

  consented(clientId: string, userId: string): string[] {
    return [...(this.consents.get(`${clientId.toLowerCase()}|${userId}`) ?? [])];
  }

  private generation(userId: string): number {
    return this.generations.get(userId) ?? 0;
  }

  private pruneCodes(): void {
    const now = this.now();
    for (const [code, grant] of this.codes) if (grant.expiresAt < now) this.codes.delete(code);
  }
}
