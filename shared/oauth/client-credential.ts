import type { TokenCredential } from '@azure/core-auth';

// How the connector app authenticates to the identity platform: its client secret (today's
// MICROSOFT_CLIENT_SECRET, the fallback), or — preferred where the tenant allows it — a client
// assertion: a token of the app's managed identity, which a federated identity credential of the
// app registration trusts (docs/operations.md). Nothing to store or rotate.
//
// Not wired yet (for the integrator): shared/oauth/msal-client.ts would `await clientCredential(…)`
// and spread the result into msalConfiguration's `auth` instead of `clientSecret` (MSAL Node takes
// `auth.clientAssertion` as a callback it calls per token request), and the settings would gain
// the managed identity's client id (e.g. MICROSOFT_FEDERATED_IDENTITY_CLIENT_ID, in the Bicep
// `appIdentity.outputs.clientId`) with MICROSOFT_CLIENT_SECRET optional when it is set.

/** What MSAL Node's ConfidentialClientApplication authenticates the app with (`auth.clientSecret` or `auth.clientAssertion`). */
export type ClientCredential = { clientSecret: string } | { clientAssertion: () => Promise<string> };

export interface ClientCredentialInput {
  /** MICROSOFT_CLIENT_SECRET: used when no federated identity is configured. */
  clientSecret?: string;
  /** Client id of the managed identity that the app registration's federated credential trusts. */
  federatedIdentityClientId?: string;
  /** MICROSOFT_AUTHORITY_HOST: decides the token-exchange audience of its cloud. */
  authorityHost: string;
  /** The identity's credential; default ManagedIdentityCredential({ clientId: federatedIdentityClientId }). */
  credential?: TokenCredential;
}

// Microsoft's token-exchange audiences: the global cloud's, US Government's, China's (21Vianet).
const US_GOV = 'api://AzureADTokenExchangeUSGov';
const CHINA = 'api://AzureADTokenExchangeChina';
const EXCHANGE_AUDIENCES: Record<string, string> = {
  'login.microsoftonline.us': US_GOV,
  'login.usgovcloudapi.net': US_GOV,
  'login-us.microsoftonline.com': US_GOV,
  'login.chinacloudapi.cn': CHINA,
  'login.partner.microsoftonline.cn': CHINA,
};

/** The audience a managed identity's assertion must carry for the authority's cloud. */
export function tokenExchangeAudience(authorityHost: string): string {
  return EXCHANGE_AUDIENCES[new URL(authorityHost).hostname.toLowerCase()] ?? 'api://AzureADTokenExchange';
}

/** The app's credential for MSAL: a client assertion from the managed identity when configured, else the secret. */
export async function clientCredential(input: ClientCredentialInput): Promise<ClientCredential> {
  const clientId = input.federatedIdentityClientId;
  if (!clientId) {
    if (!input.clientSecret)
      throw new Error('Set MICROSOFT_CLIENT_SECRET, or a federated identity credential of the managed identity.');
    return { clientSecret: input.clientSecret };
  }
  const credential = input.credential ?? new (await import('@azure/identity')).ManagedIdentityCredential({ clientId });
  const scope = `${tokenExchangeAudience(input.authorityHost)}/.default`;
  return {
    // Called by MSAL for each token request; the identity's credential caches its token.
    clientAssertion: async () => {
      const token = await credential.getToken(scope);
      if (!token) throw new Error('The managed identity returned no token for the client assertion.');
      return token.token;
    },
  };
}
