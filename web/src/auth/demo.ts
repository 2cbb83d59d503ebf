import { apiBaseUrl } from '../config';
import { toApiError } from '../api/problem';
import type { Session } from './session';

// Demo mode (`npm start` without Microsoft settings): the local host lists the simulator's seeded
// users and has the simulator issue a caller token for the one chosen. Not part of the API: these
// two routes exist only in the local host, so they are called by hand, not through the typed client.

export interface DemoUser {
  email: string;
  display_name: string;
}

interface Stored {
  email: string;
  name: string;
  token: string;
  expiresAt: number;
}

const KEY = 'integrato.demo-session';

/** The seeded users, or null when this host has no demo sign-in. */
export async function demoUsers(): Promise<DemoUser[] | null> {
  const res = await fetch(`${apiBaseUrl}/demo/users`).catch(() => null);
  if (!res?.ok) return null;
  return ((await res.json()) as { results: DemoUser[] }).results;
}

async function mint(email: string): Promise<{ token: string; expiresAt: number }> {
  const res = await fetch(`${apiBaseUrl}/demo/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw toApiError(res, body);
  const { access_token, expires_in } = body as { access_token: string; expires_in: number };
  return { token: access_token, expiresAt: Date.now() + expires_in * 1000 };
}

function session(stored: Stored): Session {
  let current = stored;
  return {
    mode: 'demo',
    user: { name: stored.name, email: stored.email },
    // A token about to expire is replaced before the call, as MSAL's acquireTokenSilent does.
    async token() {
      if (current.expiresAt - Date.now() < 60_000) {
        current = { ...current, ...(await mint(current.email)) };
        sessionStorage.setItem(KEY, JSON.stringify(current));
      }
      return current.token;
    },
    async signOut() {
      sessionStorage.removeItem(KEY);
    },
  };
}

export async function demoSignIn(user: DemoUser): Promise<Session> {
  const stored: Stored = { email: user.email, name: user.display_name, ...(await mint(user.email)) };
  sessionStorage.setItem(KEY, JSON.stringify(stored));
  return session(stored);
}

/** The session of this tab, kept across the OAuth round trip to the consent page. */
export function restoreDemoSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? session(JSON.parse(raw) as Stored) : null;
  } catch {
    return null;
  }
}
