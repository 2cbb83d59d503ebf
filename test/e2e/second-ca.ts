import { createServer, type Server } from 'node:https';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import selfsigned from 'selfsigned';

/**
 * An OpenID issuer that is not the simulator: its HTTPS certificate is signed by a CA of its own,
 * generated here (nothing committed), which a process trusts only through NODE_EXTRA_CA_CERTS, as
 * a corporate proxy's or a staging issuer's would be. It serves OpenID metadata and a JWKS, and
 * signs caller tokens with its own key.
 */
export interface SecondIssuer {
  issuer: string;
  audience: string;
  /** The CA certificate's PEM file (in a temporary folder). */
  caPath: string;
  /** How often its metadata and JWKS were fetched. */
  fetches: { metadata: number; jwks: number };
  token(subject: string): Promise<string>;
  /** A token of the same shape signed with a key the issuer does not publish. */
  foreignToken(subject: string): Promise<string>;
  close(): Promise<void>;
}

const TENANT = 'a0b1c2d3-0000-4000-8000-5ec0d0ca0000';

export async function startSecondIssuer(audience = 'api://integrato-staging'): Promise<SecondIssuer> {
  const dir = await mkdtemp(join(tmpdir(), 'second-ca-'));
  const notAfterDate = new Date(Date.now() + 24 * 3600 * 1000);
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'Integrato Test Second CA' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  const caPath = join(dir, 'second-ca.crt');
  await writeFile(caPath, ca.cert);

  const signing = await generateKeyPair('RS256', { extractable: true });
  const stranger = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(signing.publicKey)), kid: 'second-1', use: 'sig', alg: 'RS256' };
  const fetches = { metadata: 0, jwks: 0 };
  let issuer = '';
  const https: Server = createServer({ key: server.private, cert: server.cert }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://127.0.0.1').pathname;
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === `/${TENANT}/v2.0/.well-known/openid-configuration`) {
      fetches.metadata++;
      return send({ issuer, jwks_uri: `${issuer.replace(/\/v2\.0$/, '')}/discovery/v2.0/keys` });
    }
    if (path === `/${TENANT}/discovery/v2.0/keys`) {
      fetches.jwks++;
      return send({ keys: [jwk] });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  issuer = `https://127.0.0.1:${(https.address() as AddressInfo).port}/${TENANT}/v2.0`;

  const sign = (key: CryptoKey, subject: string) =>
    new SignJWT({ tid: TENANT, oid: subject, scp: 'access_as_user' })
      .setProtectedHeader({ alg: 'RS256', kid: 'second-1' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(key);
  return {
    issuer,
    audience,
    caPath,
    fetches,
    token: (subject) => sign(signing.privateKey, subject),
    foreignToken: (subject) => sign(stranger.privateKey, subject),
    close: async () => {
      https.closeAllConnections();
      await new Promise<void>((resolve) => https.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
