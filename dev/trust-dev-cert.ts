import { spawn } from 'node:child_process';
import { devTrustPath } from './certs.mjs';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
// The settings whose HTTPS endpoints may be a local stand-in signed with the development certificate.
const ENDPOINT_SETTINGS = [
  'MICROSOFT_AUTHORITY_HOST',
  'GRAPH_BASE_URL',
  'KEY_VAULT_URL',
  'AUTH_ISSUER',
  'AUTH_JWKS_URI',
] as const;

/**
 * Whether a local run with these settings talks to a stand-in that the development certificate
 * signs: demo mode (no MICROSOFT_CLIENT_ID starts the simulator), or an endpoint setting on a
 * loopback host (the simulator or the Key Vault stand-in started on their own). With Microsoft's
 * real endpoints nothing local needs it.
 */
export function needsDevCertificate(env: Record<string, string | undefined>): boolean {
  if (!env.MICROSOFT_CLIENT_ID) return true;
  return ENDPOINT_SETTINGS.some((name) => {
    const value = env[name];
    if (!value) return false;
    try {
      const url = new URL(value);
      return url.protocol === 'https:' && LOOPBACK.has(url.hostname.toLowerCase());
    } catch {
      return false; // the settings parser reports it, naming the setting
    }
  });
}

/**
 * Node reads NODE_EXTRA_CA_CERTS only when a process starts. When `needed` and this process does
 * not trust the development certificate yet, it runs itself again with NODE_EXTRA_CA_CERTS naming
 * the certificate, or a bundle of it and whatever file the user's NODE_EXTRA_CA_CERTS named (a
 * corporate proxy's or a staging issuer's CA stays trusted), forwarding signals and the exit code,
 * and returns true: the caller then does nothing more. MSAL, the Graph client, fetch and the Key
 * Vault SDK in the relaunched process trust the local HTTPS stand-ins.
 */
export async function relaunchTrustingDevCertificate(needed = true): Promise<boolean> {
  if (!needed) return false;
  const current = process.env.NODE_EXTRA_CA_CERTS;
  const trust = await devTrustPath(current);
  if (current === trust) return false;
  console.log(
    current
      ? `[start] relaunching to trust the development certificate as well as NODE_EXTRA_CA_CERTS (bundle: ${trust})`
      : '[start] relaunching to trust the development certificate',
  );
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: trust },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return true;
}
