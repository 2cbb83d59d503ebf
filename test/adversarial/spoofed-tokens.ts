import { createPublicKey, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import type { SigningKeys } from '../../dev/sim/identity/keys.js';
import type { TokenIssuer } from '../../dev/sim/identity/issuer.js';
import type { Stack } from '../support/stack.js';

// Tokens an attacker could present to the API, each wrong in exactly one way, built against the
// running simulator (its issuer, audience, signing key id and public key).

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const epoch = () => Math.floor(Date.now() / 1000);

/** The simulator's caller-token issuer and signing keys (private fields, reached for forging valid-key tokens). */
export interface IssuerHandle {
  issuer: TokenIssuer;
  keys: SigningKeys;
}

/** Valid claims of the caller token for `email`, as the simulator would mint them. */
export function claimsOf(token: string): JWTPayload & { tid: string; oid: string } {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

export async function spoofedTokens(
  stack: Stack,
  email: string,
  handle: IssuerHandle,
): Promise<Record<string, string>> {
  const sim = stack.sim;
  const good = await sim.callerToken(email);
  const [header, payload, signature] = good.split('.') as [string, string, string];
  const claims = claimsOf(good);
  const kid = handle.keys.kid;
  const stranger = await generateKeyPair('RS256');
  const signWith = (key: Parameters<SignJWT['sign']>[0], claimsOverride: JWTPayload, kidOverride = kid) =>
    new SignJWT({ ...claims, ...claimsOverride })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: kidOverride })
      .sign(key);
  // The simulator's public key as an HMAC secret: the classic RS256 → HS256 key confusion.
  const publicJwk = handle.keys.jwks.keys[0]!;
  const publicPem = createPublicKey({ key: publicJwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
  const hmac = (secret: Uint8Array) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid }).sign(secret);
  const otherTenant = randomUUID();
  const now = epoch();

  return {
    'wrong audience (another API)': await sim.callerToken(email, { audience: 'api://someone-else' }),
    'wrong audience (the connector client id)': await sim.callerToken(email, {
      audience: process.env.MICROSOFT_CLIENT_ID,
    }),
    'a Graph access token (aud Graph)': await sim.graphAccessToken(email),
    'wrong issuer (Microsoft’s real host)': await sim.callerToken(email, {
      issuer: `https://login.microsoftonline.com/${sim.tenantId}/v2.0`,
    }),
    'wrong issuer (trailing slash)': await sim.callerToken(email, { issuer: `${sim.callerIssuer}/` }),
    'wrong issuer (v1 endpoint)': await sim.callerToken(email, { issuer: `https://sts.windows.net/${sim.tenantId}/` }),
    'wrong tenant (issuer of another tenant)': await sim.callerToken(email, {
      issuer: `${sim.authorityHost}/${otherTenant}/v2.0`,
    }),
    'wrong tenant (issuer /common)': await sim.callerToken(email, { issuer: `${sim.authorityHost}/common/v2.0` }),
    'wrong tenant (issuer template {tenantid})': await sim.callerToken(email, {
      issuer: `${sim.authorityHost}/{tenantid}/v2.0`,
    }),
    'expired (beyond the skew)': await sim.callerToken(email, { expires_in: -300 }),
    'not yet valid (beyond the skew)': await sim.callerToken(email, { not_before_in: 600 }),
    'no exp claim (signed with the real key)': await handle.keys.sign({ ...claims, exp: undefined }),
    'bad signature (payload changed)': `${header}.${b64({ ...claims, oid: randomUUID() })}.${signature}`,
    'bad signature (one character changed)': `${header}.${payload}.${signature.slice(0, -2)}${signature.at(-2) === 'A' ? 'B' : 'A'}${signature.at(-1)}`,
    'no signature': `${header}.${payload}.`,
    'signed by another key under the real kid': await signWith(stranger.privateKey, {}),
    'signed by another key under an unknown kid': await signWith(stranger.privateKey, {}, 'unknown-kid'),
    'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
    'alg none (capitalised)': `${b64({ alg: 'None', typ: 'JWT', kid })}.${payload}.`,
    'HS256 keyed with the public key (PEM)': await hmac(new TextEncoder().encode(String(publicPem))),
    'HS256 keyed with the public modulus': await hmac(
      Buffer.from(String((publicJwk as { n?: string }).n), 'base64url'),
    ),
    'embedded jwk header (self-signed)': await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', jwk: await exportJWK(stranger.publicKey) })
      .sign(stranger.privateKey),
    'two-part token': `${header}.${payload}`,
    garbage: 'not-a-token',
    'nbf far future, exp in range': await handle.keys.sign({ ...claims, nbf: now + 86_400, exp: now + 90_000 }),
  };
}

/**
 * Tokens signed with the real key, for the right issuer and audience, that are still no user of this
 * API (issue 19, finding 2): an ID token, app-only tokens, tokens without the API's scope, and tokens
 * of clients that are not on AUTH_ALLOWED_CLIENT_IDS (the spoofing suite sets it to the SPA's id).
 */
export async function wrongTypeTokens(claims: JWTPayload, handle: IssuerHandle): Promise<Record<string, string>> {
  const sign = (override: JWTPayload) => handle.keys.sign({ ...claims, ...override });
  const app = randomUUID();
  return {
    'ID token of a shared registration (no scp)': await sign({
      scp: undefined,
      azp: undefined,
      azpacr: undefined,
      nonce: randomUUID(),
      email: 'victim@contoso.example',
    }),
    'app-only token (idtyp app, roles, no scp)': await sign({
      scp: undefined,
      idtyp: 'app',
      roles: ['Integrations.Read.All'],
      oid: randomUUID(),
      sub: randomUUID(),
    }),
    'app-only token (roles without scp)': await sign({ scp: undefined, roles: ['Integrations.Read.All'] }),
    'app-only token (idtyp app beside a scope)': await sign({ idtyp: 'app' }),
    'no required scope (scp User.Read)': await sign({ scp: 'User.Read' }),
    'required scope as a prefix (scp access_as_user2)': await sign({ scp: 'access_as_user2' }),
    'scp as an array': await sign({ scp: ['access_as_user'] }),
    'foreign client (azp of another app)': await sign({ azp: app }),
    'foreign client (v1 appid of another app)': await sign({ azp: undefined, appid: app, ver: '1.0' }),
    'no client named (no azp, no appid)': await sign({ azp: undefined, appid: undefined }),
  };
}

/** Authorization headers that carry no bearer token the API may accept. */
export function malformedAuthorizations(valid: string): Record<string, string> {
  return {
    'Basic scheme': `Basic ${Buffer.from('user:password').toString('base64')}`,
    'empty bearer': 'Bearer ',
    'bearer without space': `Bearer${valid}`,
    'token without scheme': valid,
    'two tokens': `Bearer ${valid} ${valid}`,
  };
}
