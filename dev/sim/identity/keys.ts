import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyResult,
} from 'jose';

/** The simulator's token-signing key (RS256), published as a JWKS like Microsoft's discovery keys. */
export interface SigningKeys {
  kid: string;
  jwks: JSONWebKeySet;
  sign(claims: JWTPayload): Promise<string>;
  verify(token: string, expected: { issuer: string | string[]; audience: string | string[] }): Promise<JWTVerifyResult>;
}

export async function createSigningKeys(): Promise<SigningKeys> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  // Microsoft's keys carry kty/use/kid/n/e (and x5t/x5c, which validators here do not need).
  const jwks: JSONWebKeySet = { keys: [{ ...publicJwk, kid, use: 'sig', alg: 'RS256' }] };
  const keySet = createLocalJWKSet(jwks);
  return {
    kid,
    jwks,
    sign: (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(privateKey),
    verify: (token, expected) =>
      jwtVerify(token, keySet, { algorithms: ['RS256'], issuer: expected.issuer, audience: expected.audience }),
  };
}
