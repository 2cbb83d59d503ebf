import type { TokenCredential } from '@azure/core-auth';

/**
 * The managed identity an `APPLICATIONINSIGHTS_AUTHENTICATION_STRING` names
 * (`Authorization=AAD;ClientId=<id>`, the App Service convention the Functions host reads), or
 * undefined when it asks for no Entra sign-in. `clientId` undefined: the system-assigned identity.
 */
export function parseAuthenticationString(value: string | undefined): { clientId?: string } | undefined {
  if (!value) return undefined;
  const pairs = new Map(
    value
      .split(';')
      .map((pair) => pair.split('=') as [string, string?])
      .map(([k, v]) => [k.trim().toLowerCase(), v?.trim()]),
  );
  if (pairs.get('authorization') !== 'AAD') return undefined;
  const clientId = pairs.get('clientid');
  return clientId ? { clientId } : {};
}

/**
 * The credential the Azure Monitor exporter signs in with when Application Insights refuses local
 * auth (infra/modules/monitoring.bicep): the identity the setting names. @azure/identity loads
 * only then (the distro loads it anyway).
 */
export async function exporterCredential(
  authenticationString: string | undefined,
): Promise<TokenCredential | undefined> {
  const identity = parseAuthenticationString(authenticationString);
  if (!identity) return undefined;
  const { ManagedIdentityCredential } = await import('@azure/identity');
  return identity.clientId
    ? new ManagedIdentityCredential({ clientId: identity.clientId })
    : new ManagedIdentityCredential();
}
