import { unwrap, type Api, type Provider } from '../api/client';
import { ApiError } from '../api/problem';
import { oauthRedirectUri } from '../config';

// The connect flow: initiate → the user at Microsoft (the simulator's consent page in demo mode) →
// Microsoft redirects to /oauth/callback?code&state → the SPA posts code, state and provider to the
// callback endpoint. The provider of a state is remembered in this tab only.

const pendingKey = (state: string) => `integrato.connect.${state}`;

export async function startConnect(
  api: Api,
  provider: Provider,
  options: { loginHint?: string; access?: 'read' | 'read_write' } = {},
): Promise<void> {
  const started = await unwrap(
    api.POST('/integrations/oauth/initiate', {
      body: {
        provider,
        redirect_uri: oauthRedirectUri,
        ...(options.loginHint ? { login_hint: options.loginHint } : {}),
        // Only sent where the API documents it (feature-detected by the caller).
        ...(options.access ? { access: options.access } : {}),
      },
    }),
  );
  sessionStorage.setItem(pendingKey(started.state), provider);
  window.location.assign(started.authorization_url);
}

/** Finishes the flow on /oauth/callback: the integration, or an ApiError (declined, expired state…). */
export async function finishConnect(api: Api, query: URLSearchParams) {
  const state = query.get('state') ?? '';
  const provider = sessionStorage.getItem(pendingKey(state)) as Provider | null;
  if (!provider) {
    throw new ApiError(400, 'invalid_state', 'This sign-in was not started in this tab, or it was already used.', null);
  }
  sessionStorage.removeItem(pendingKey(state));
  const code = query.get('code');
  const body = code
    ? { provider, state, code }
    : {
        provider,
        state,
        error: query.get('error') ?? 'access_denied',
        ...(query.get('error_description') ? { error_description: query.get('error_description') as string } : {}),
      };
  return unwrap(api.POST('/integrations/oauth/callback', { body }));
}
