import { json, type SimResponse } from '../http.js';

/** The tenant segments the simulated identity platform answers to. */
export function acceptsTenant(segment: string, tenantId: string): boolean {
  const t = segment.toLowerCase();
  return t === 'common' || t === 'organizations' || t === tenantId.toLowerCase();
}

/**
 * `/{tenant}/v2.0/.well-known/openid-configuration`, as Microsoft shapes it: for `common` and
 * `organizations` the issuer is the `{tenantid}` template; for a tenant id it is that tenant's.
 */
export function openIdConfiguration(baseUrl: string, tenant: string, tenantId: string): Record<string, unknown> {
  const specific = tenant.toLowerCase() === tenantId.toLowerCase();
  const host = new URL(baseUrl).host;
  return {
    token_endpoint: `${baseUrl}/${tenant}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    jwks_uri: `${baseUrl}/${tenant}/discovery/v2.0/keys`,
    response_modes_supported: ['query'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${baseUrl}/${specific ? tenantId : '{tenantid}'}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${baseUrl}/${tenant}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${baseUrl}/${tenant}/oauth2/v2.0/logout`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    code_challenge_methods_supported: ['S256'],
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'nbf',
      'nonce',
      'name',
      'preferred_username',
      'email',
      'oid',
      'tid',
      'ver',
    ],
    tenant_region_scope: 'NA',
    cloud_instance_name: host,
    cloud_graph_host_name: host,
    msgraph_host: host,
  };
}

/**
 * `/common/discovery/instance`: the answer MSAL reads to learn a host's aliases. The simulator
 * is its own single alias, and its tenant discovery endpoint is its own metadata document.
 */
export function instanceDiscovery(baseUrl: string, query: URLSearchParams): SimResponse {
  const host = new URL(baseUrl).host;
  let tenant = 'common';
  const authorizeEndpoint = query.get('authorization_endpoint');
  if (authorizeEndpoint) {
    try {
      tenant = new URL(authorizeEndpoint).pathname.split('/').filter(Boolean)[0] ?? 'common';
    } catch {
      tenant = 'common';
    }
  }
  return json(200, {
    tenant_discovery_endpoint: `${baseUrl}/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}
