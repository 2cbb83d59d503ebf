// The simulator answers on one port under the names its certificate covers (localhost and
// 127.0.0.1, see dev/certs.mjs). Like Microsoft's endpoints, which name the host they were asked
// on, its metadata, issuer, endpoints and links name the origin the client used: MSAL resolves
// `https://127.0.0.1:PORT/common` only if the metadata it fetches from there names 127.0.0.1.
// Any other Host (or none) gets the canonical `https://localhost:PORT`: a forged Host header
// never ends up in a URL the simulator hands out.

const NAMES = ['localhost', '127.0.0.1'] as const;

/** Every origin the simulator on `port` answers as; the first is the canonical one. */
export function simOrigins(port: number): string[] {
  return NAMES.map((name) => `https://${name}:${port}`);
}

/** The origin a request was made to, from its Host header, when it is one of `simOrigins(port)`. */
export function originOf(hostHeader: string | undefined, port: number): string {
  const [canonical = `https://localhost:${port}`, ...others] = simOrigins(port);
  const host = (hostHeader ?? '').trim().toLowerCase();
  return others.find((origin) => origin === `https://${host}`) ?? canonical;
}
