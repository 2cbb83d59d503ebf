// Build-time settings (Vite variables, web/.env*): none set = demo mode against `npm start`.

/** Where the API is: its origin plus `/api`; default the SPA's own origin (the local host, or a proxy). */
export const apiBaseUrl = (import.meta.env.VITE_API_BASE_URL as string | undefined)?.replace(/\/$/, '') || '/api';

/** Entra sign-in (MSAL Browser). Unset: demo mode, the simulator's seeded users sign in. */
export const entra = import.meta.env.VITE_MICROSOFT_CLIENT_ID
  ? {
      clientId: import.meta.env.VITE_MICROSOFT_CLIENT_ID as string,
      authority:
        (import.meta.env.VITE_MICROSOFT_AUTHORITY as string | undefined) ||
        'https://login.microsoftonline.com/organizations',
      // The API's delegated scope, e.g. api://<api-client-id>/access_as_user (AUTH_REQUIRED_SCOPE).
      apiScope: (import.meta.env.VITE_API_SCOPE as string | undefined) ?? '',
    }
  : undefined;

/** Where Microsoft sends the user back after connecting an account (one of OAUTH_REDIRECT_URIS). */
export const oauthRedirectUri = `${window.location.origin}/oauth/callback`;
