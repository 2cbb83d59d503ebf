/** Graph's resource URI and application id: both are valid `aud` values of a Graph access token. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** OpenID Connect scopes: they shape the token response, they are not Graph permissions. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;
export type OidcScope = (typeof OIDC_SCOPES)[number];

export interface RequestedScopes {
  /** Graph permissions, short form (`Calendars.Read`), de-duplicated case-insensitively. */
  graph: string[];
  /** Each Graph permission in the form the request spelled it (answers echo that form, as MSAL's cache keys on it). */
  spelled: Map<string, string>;
  oidc: OidcScope[];
  /** `https://graph.microsoft.com/.default` was asked: every permission already granted. */
  graphDefault: boolean;
  /** Scopes for a resource the simulator does not host, or malformed ones. */
  invalid: string[];
}

const permissionName = /^[A-Za-z][A-Za-z0-9._-]{0,99}$/;

/**
 * Parses a space-separated `scope` parameter as Microsoft's v2.0 endpoint reads it:
 * `https://graph.microsoft.com/Calendars.Read` and a bare `Calendars.Read` both mean Graph's permission.
 */
export function parseScopes(raw: string | null | undefined): RequestedScopes {
  const out: RequestedScopes = { graph: [], spelled: new Map(), oidc: [], graphDefault: false, invalid: [] };
  const seen = new Set<string>();
  for (const scope of (raw ?? '').split(/\s+/).filter((s) => s.length > 0)) {
    const lower = scope.toLowerCase();
    if ((OIDC_SCOPES as readonly string[]).includes(lower)) {
      if (!out.oidc.includes(lower as OidcScope)) out.oidc.push(lower as OidcScope);
      continue;
    }
    let name = scope;
    for (const prefix of [`${GRAPH_RESOURCE}/`, `${GRAPH_APP_ID}/`]) {
      if (lower.startsWith(prefix)) name = scope.slice(prefix.length);
    }
    if (name === '.default') {
      out.graphDefault = true;
    } else if (name.includes('/') || name.includes(':') || !permissionName.test(name)) {
      out.invalid.push(scope);
    } else if (!seen.has(name.toLowerCase())) {
      seen.add(name.toLowerCase());
      out.graph.push(name);
      out.spelled.set(name.toLowerCase(), scope);
    }
  }
  return out;
}

/** Graph scopes of `wanted` that `granted` does not cover (case-insensitive, as Microsoft compares). */
export function missingScopes(wanted: string[], granted: Iterable<string>): string[] {
  const have = new Set([...granted].map((s) => s.toLowerCase()));
  return wanted.filter((s) => !have.has(s.toLowerCase()));
}
