import type { Session } from './session';

// Real sign-in: MSAL Browser against Entra, asking for the API's delegated scope (VITE_API_SCOPE).
// This is the code a production SPA copies. The library is loaded only in this mode, so the demo's
// first page does not carry it.

export interface EntraSettings {
  clientId: string;
  authority: string;
  apiScope: string;
}

async function msal(settings: EntraSettings) {
  const lib = await import('@azure/msal-browser');
  const pca = await lib.createStandardPublicClientApplication({
    auth: { clientId: settings.clientId, authority: settings.authority, redirectUri: `${window.location.origin}/` },
    cache: { cacheLocation: 'sessionStorage' },
  });
  return { lib, pca };
}

/** Completes a sign-in redirect if one is under way; the signed-in session, or null. */
export async function restoreEntraSession(settings: EntraSettings): Promise<Session | null> {
  const { lib, pca } = await msal(settings);
  const result = await pca.handleRedirectPromise();
  const account = result?.account ?? pca.getActiveAccount() ?? pca.getAllAccounts()[0];
  if (!account) return null;
  pca.setActiveAccount(account);
  const request = { scopes: [settings.apiScope], account };
  return {
    mode: 'entra',
    user: { name: account.name ?? account.username, email: account.username },
    async token() {
      try {
        return (await pca.acquireTokenSilent(request)).accessToken;
      } catch (error) {
        // Consent or a fresh sign-in is needed: Entra takes over the page, the call is abandoned.
        if (error instanceof lib.InteractionRequiredAuthError) await pca.acquireTokenRedirect(request);
        throw error;
      }
    },
    signOut: () => pca.logoutRedirect({ account }),
  };
}

export async function entraSignIn(settings: EntraSettings): Promise<void> {
  const { pca } = await msal(settings);
  await pca.loginRedirect({ scopes: [settings.apiScope] });
}
