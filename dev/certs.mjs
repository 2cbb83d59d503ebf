// A self-signed certificate for the local HTTPS stand-ins (Microsoft simulator, Key Vault stand-in).
// Generated on first use into .local/certs (git-ignored, never committed) and reused afterwards,
// so a process started with NODE_EXTRA_CA_CERTS pointing at it trusts every stand-in.
// Plain JavaScript so the launchers can call it before TypeScript is compiled.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import selfsigned from 'selfsigned';

// The repository root holds package.json; this file runs from dev/ and, compiled, from dist/dev/.
function repoRoot(from) {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return from;
    dir = up;
  }
  return dir;
}

export const certDir = join(repoRoot(dirname(fileURLToPath(import.meta.url))), '.local', 'certs');

/** @returns {Promise<{certPath: string, keyPath: string, cert: string, key: string}>} */
export async function ensureDevCertificate(dir = certDir) {
  const certPath = join(dir, 'localhost.crt');
  const keyPath = join(dir, 'localhost.key');
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    mkdirSync(dir, { recursive: true });
    const notAfterDate = new Date(Date.now() + 825 * 24 * 3600 * 1000);
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048,
      algorithm: 'sha256',
      notAfterDate,
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    });
    writeFileSync(keyPath, pems.private, { mode: 0o600 });
    writeFileSync(certPath, pems.cert);
  }
  mkdirSync(dirname(certPath), { recursive: true });
  return { certPath, keyPath, cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
}

/**
 * What NODE_EXTRA_CA_CERTS must name for a process to trust the development certificate without
 * losing what `current` (the value the user set) already trusts: the certificate itself when
 * nothing was set; `current` when it already holds the certificate; otherwise a bundle of both,
 * written under .local/certs and named by its content (so concurrent launchers agree on it).
 * Node reads only one such file, so setting the certificate alone would drop a corporate proxy's
 * or a staging issuer's CA.
 * @param {string | undefined} current
 * @param {{ dir?: string, warn?: (message: string) => void }} [options]
 * @returns {Promise<string>}
 */
export async function devTrustPath(current, options = {}) {
  const dir = options.dir ?? certDir;
  const dev = await ensureDevCertificate(dir);
  if (!current || current === dev.certPath) return dev.certPath;
  let user;
  try {
    user = readFileSync(current, 'utf8');
  } catch {
    (options.warn ?? console.warn)(
      `NODE_EXTRA_CA_CERTS names ${current}, which cannot be read: trusting only the development certificate.`,
    );
    return dev.certPath;
  }
  if (user.includes(dev.cert.trim())) return current;
  const bundle = `${user.trimEnd()}\n${dev.cert.trimEnd()}\n`;
  const path = join(dir, `ca-bundle-${createHash('sha256').update(bundle).digest('hex').slice(0, 16)}.pem`);
  if (!existsSync(path)) {
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, bundle);
    renameSync(temp, path);
  }
  return path;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { certPath } = await ensureDevCertificate();
  console.log(certPath);
}
