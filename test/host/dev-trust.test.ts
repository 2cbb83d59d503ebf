import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devTrustPath, ensureDevCertificate } from '../../dev/certs.mjs';
import { needsDevCertificate } from '../../dev/trust-dev-cert.js';

// What npm start, npm run bench and vitest set NODE_EXTRA_CA_CERTS to, and when npm start relaunches.
describe('devTrustPath', () => {
  let dir: string;
  let devCert: string;
  let devCertPath: string;
  const userCa = '-----BEGIN CERTIFICATE-----\nTUlJQ2Zha2VVc2VyQ0E=\n-----END CERTIFICATE-----\n';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dev-trust-'));
    ({ cert: devCert, certPath: devCertPath } = await ensureDevCertificate(join(dir, 'certs')));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is the development certificate when nothing (or the certificate itself) is set', async () => {
    expect(await devTrustPath(undefined, { dir: join(dir, 'certs') })).toBe(devCertPath);
    expect(await devTrustPath('', { dir: join(dir, 'certs') })).toBe(devCertPath);
    expect(await devTrustPath(devCertPath, { dir: join(dir, 'certs') })).toBe(devCertPath);
  });

  it("bundles the user's CA file with the certificate, keeps the user's file, and reuses the bundle", async () => {
    const user = join(dir, 'corporate.pem');
    await writeFile(user, userCa);
    const bundle = await devTrustPath(user, { dir: join(dir, 'certs') });
    expect(bundle).toMatch(/ca-bundle-[0-9a-f]{16}\.pem$/);
    const text = await readFile(bundle, 'utf8');
    expect(text.startsWith(userCa.trimEnd())).toBe(true);
    expect(text).toContain(devCert.trim());
    expect(await readFile(user, 'utf8')).toBe(userCa);
    // The relaunched process sees the bundle and keeps it: no second relaunch.
    expect(await devTrustPath(bundle, { dir: join(dir, 'certs') })).toBe(bundle);
    expect(await devTrustPath(user, { dir: join(dir, 'certs') })).toBe(bundle);
    // Another CA file makes another bundle.
    const other = join(dir, 'staging.pem');
    await writeFile(other, userCa.replace('TUlJ', 'T1RI'));
    expect(await devTrustPath(other, { dir: join(dir, 'certs') })).not.toBe(bundle);
  });

  it('keeps a file of the user that already holds the certificate', async () => {
    const own = join(dir, 'own-bundle.pem');
    await writeFile(own, `${userCa}${devCert}`);
    expect(await devTrustPath(own, { dir: join(dir, 'certs') })).toBe(own);
  });

  it('falls back to the certificate alone, with a warning naming the file, when the file cannot be read', async () => {
    const warnings: string[] = [];
    const missing = join(dir, 'no-such.pem');
    expect(await devTrustPath(missing, { dir: join(dir, 'certs'), warn: (m) => warnings.push(m) })).toBe(devCertPath);
    expect(warnings).toEqual([
      `NODE_EXTRA_CA_CERTS names ${missing}, which cannot be read: trusting only the development certificate.`,
    ]);
  });
});

describe('needsDevCertificate', () => {
  const microsoft = {
    MICROSOFT_CLIENT_ID: 'client',
    MICROSOFT_AUTHORITY_HOST: 'https://login.microsoftonline.com',
    GRAPH_BASE_URL: 'https://graph.microsoft.com',
    AUTH_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0',
    KEY_VAULT_URL: 'https://vault.vault.azure.net',
  };

  it('is needed in demo mode (the simulator) and for any endpoint on a loopback host', () => {
    expect(needsDevCertificate({})).toBe(true);
    for (const [name, value] of [
      ['MICROSOFT_AUTHORITY_HOST', 'https://localhost:7443'],
      ['GRAPH_BASE_URL', 'https://127.0.0.1:7443'],
      ['KEY_VAULT_URL', 'https://localhost:8443/'],
      ['AUTH_ISSUER', 'https://[::1]:7443/t/v2.0'],
      ['AUTH_JWKS_URI', 'https://LOCALHOST:7443/keys'],
    ]) {
      expect(needsDevCertificate({ ...microsoft, [name as string]: value }), name).toBe(true);
    }
  });

  it('is not needed with Microsoft, Azure or any other non-local endpoint, nor for plain HTTP or a bad URL', () => {
    expect(needsDevCertificate(microsoft)).toBe(false);
    expect(needsDevCertificate({ ...microsoft, AUTH_ISSUER: 'https://sts.staging.example/t/v2.0' })).toBe(false);
    expect(needsDevCertificate({ ...microsoft, AUTH_JWKS_URI: 'http://localhost:8080/keys' })).toBe(false);
    expect(needsDevCertificate({ ...microsoft, GRAPH_BASE_URL: 'not a url' })).toBe(false);
  });
});
