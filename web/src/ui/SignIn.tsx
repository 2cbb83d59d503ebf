import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../api/problem';
import { demoSignIn, demoUsers, type DemoUser } from '../auth/demo';
import { entraSignIn } from '../auth/entra';
import type { Session } from '../auth/session';
import { entra } from '../config';
import { ErrorBanner } from './ErrorBanner';

/** Demo mode: pick a seeded simulator user. With VITE_MICROSOFT_CLIENT_ID: sign in with Microsoft (MSAL). */
export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [users, setUsers] = useState<DemoUser[] | null | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    if (!entra) void demoUsers().then(setUsers);
  }, []);

  return (
    <main class="sign-in" id="main">
      <div class="sign-in-card">
        <h1>
          <span class="logo" aria-hidden="true" /> Integrato
        </h1>
        <p class="muted">Your Microsoft 365 calendar and mail, synced.</p>
        <ErrorBanner error={error} onDismiss={() => setError(null)} />
        {entra ? (
          <button type="button" class="primary wide" onClick={() => void entraSignIn(entra!)}>
            Sign in with Microsoft
          </button>
        ) : users === undefined ? (
          <p>Looking for the demo users…</p>
        ) : users === null ? (
          <p>
            This host has no demo sign-in. Build the SPA with <code>VITE_MICROSOFT_CLIENT_ID</code> and{' '}
            <code>VITE_API_SCOPE</code> to sign in with Microsoft.
          </p>
        ) : (
          <>
            <h2>Demo mode</h2>
            <p class="muted">
              The Microsoft simulator stands in for Microsoft. Choose one of its seeded users; it issues your token.
            </p>
            <ul class="user-list">
              {users.map((u) => (
                <li key={u.email}>
                  <button
                    type="button"
                    class="user-choice"
                    onClick={() =>
                      void demoSignIn(u)
                        .then(onSignedIn)
                        .catch((e: ApiError) => setError(e))
                    }
                  >
                    <span class="avatar" aria-hidden="true">
                      {u.display_name.slice(0, 1)}
                    </span>
                    <span>
                      <strong>{u.display_name}</strong>
                      <br />
                      <span class="muted">{u.email}</span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </main>
  );
}
