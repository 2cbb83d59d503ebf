import { spawn } from 'node:child_process';
import { ensureDevCertificate } from './certs.mjs';

/**
 * Node reads NODE_EXTRA_CA_CERTS only when a process starts. If this process does not trust the
 * development certificate yet, it runs itself again with it set (forwarding signals and the exit
 * code) and returns true: the caller then does nothing more. MSAL, the Graph client, fetch and the
 * Key Vault SDK in the relaunched process trust the local HTTPS stand-ins.
 */
export async function relaunchTrustingDevCertificate(): Promise<boolean> {
  const { certPath } = await ensureDevCertificate();
  if (process.env.NODE_EXTRA_CA_CERTS === certPath) return false;
  const child = spawn(process.execPath, process.argv.slice(1), { stdio: 'inherit', env: { ...process.env, NODE_EXTRA_CA_CERTS: certPath } });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return true;
}
