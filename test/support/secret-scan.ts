/** A secret found in a log line: what kind it was, and the line with every secret masked. */
export interface Leak {
  kind: string;
  line: string;
}

// Secrets are matched by fixed-width slices, not whole: a line that carries a usable fragment of a
// token (a truncated refresh token, a JWT without its header) is a leak too. Slices start at every
// multiple of SLICE (and one ends the secret), so any fragment of 2·SLICE−1 characters or more holds
// a whole slice. Indexing the slices keeps the scan linear in the size of the logs, whatever the
// number of secrets (a file logs thousands of lines; a stack mints hundreds of tokens).
const SLICE = 16;

function slicesOf(secret: string): string[] {
  const slices = new Set<string>();
  for (let i = 0; i + SLICE <= secret.length; i += SLICE) slices.add(secret.slice(i, i + SLICE));
  if (secret.length >= SLICE) slices.add(secret.slice(-SLICE));
  return [...slices];
}

// A JWT's header and much of its payload are alike across tokens (`eyJhbGciOiJSUzI1NiIs…`): for a
// JWT only the signature is sliced, the part that is random and without which the token is useless.
function indexable(secret: string): string {
  const parts = secret.split('.');
  return parts.length === 3 && secret.startsWith('eyJ') && (parts[2]?.length ?? 0) >= SLICE ? parts[2]! : secret;
}

/** Every line that contains (a slice of) one of the secrets; the secrets map value is its kind. */
export function findLeaks(lines: readonly string[], secrets: ReadonlyMap<string, string>): Leak[] {
  const index = new Map<string, string>();
  for (const [secret, kind] of secrets) for (const slice of slicesOf(indexable(secret))) index.set(slice, kind);
  if (index.size === 0) return [];
  const leaks: Leak[] = [];
  for (const line of lines) {
    for (let i = 0; i + SLICE <= line.length; i++) {
      const kind = index.get(line.slice(i, i + SLICE));
      if (kind) {
        leaks.push({ kind, line: mask(line) });
        break;
      }
    }
  }
  return leaks;
}

// Runs of token-like characters: in a failure report each is replaced whole, so that not even the
// unaligned ends of a leaked secret are printed again.
const TOKEN_RUN = /[A-Za-z0-9_\-.~+/=]{12,}/g;

/** The line with every long token-like run hidden (it is printed in the failure report). */
export function mask(line: string): string {
  const out = line.replace(TOKEN_RUN, '[…]');
  return out.length > 400 ? `${out.slice(0, 400)}…` : out;
}

// Secrets known by their shape rather than their value (no simulator issues them): a storage
// account key or SAS signature, and credentials in a form body or query string. A value counts
// when it is long enough to be one and is not the logger's `[redacted]`.
const SHAPES: { kind: string; pattern: RegExp }[] = [
  { kind: 'storage account key (AccountKey=)', pattern: /AccountKey=(?!\[redacted\])[^;&\s"']{8,}/i },
  { kind: 'shared access key (SharedAccessKey=)', pattern: /SharedAccessKey=(?!\[redacted\])[^;&\s"']{8,}/i },
  { kind: 'SAS signature (sig=)', pattern: /(?:^|[?&;\s"'(,])sig=(?!\[redacted\])[^&;#\s"']{8,}/i },
  {
    kind: 'form-encoded secret',
    pattern:
      /(?:^|[?&#;\s"'(,])(?:client_secret|client_assertion|refresh_token|access_token|id_token|code_verifier|password)=(?!\[redacted\])[^&#;\s"',)]{8,}/i,
  },
];

/** Every line holding a secret recognised by its shape (see SHAPES), with the line masked. */
export function findShapedLeaks(lines: readonly string[]): Leak[] {
  const leaks: Leak[] = [];
  for (const line of lines) {
    const shape = SHAPES.find((s) => s.pattern.test(line));
    if (shape) leaks.push({ kind: shape.kind, line: mask(line) });
  }
  return leaks;
}
