// A self-signed certificate for the local HTTPS stand-ins (Microsoft simulator, Key Vault stand-in).
// Generated on first use into .local/certs (git-ignored, never committed) and reused afterwards,
// so a process started with NODE_EXTRA_CA_CERTS pointing at it trusts every stand-in.
// Plain JavaScript so the launchers can call it before TypeScript is compiled.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
        { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
      ],
    });
    writeFileSync(keyPath, pems.private, { mode: 0o600 });
    writeFileSync(certPath, pems.cert);
  }
  mkdirSync(dirname(certPath), { recursive: true });
  return { certPath, keyPath, cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { certPath } = await ensureDevCertificate();
  console.log(certPath);
}
