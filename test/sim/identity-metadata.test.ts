import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msalConfiguration } from '../../shared/oauth/msal-config.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';

// Discovery documents, and msalConfiguration's description of a custom authority host agreeing with them.
let t: TestSimulator;
beforeAll(async () => {
  t = await startTestSimulator();
});
afterAll(() => t.sim.close());

const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const res = await fetch(`${t.sim.baseUrl}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('identity metadata', () => {
  it('serves OpenID configuration for the tenant id, common and organizations', async () => {
    const own = await get(`/${t.sim.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      issuer: t.sim.callerIssuer,
      authorization_endpoint: `${t.sim.baseUrl}/${t.sim.tenantId}/oauth2/v2.0/authorize`,
      token_endpoint: `${t.sim.baseUrl}/${t.sim.tenantId}/oauth2/v2.0/token`,
      jwks_uri: t.sim.callerJwksUri,
    });
    for (const tenant of ['common', 'organizations']) {
      const shared = await get(`/${tenant}/v2.0/.well-known/openid-configuration`);
      expect(shared.body.issuer).toBe(`${t.sim.baseUrl}/{tenantid}/v2.0`);
      expect(shared.body.token_endpoint).toBe(`${t.sim.baseUrl}/${tenant}/oauth2/v2.0/token`);
    }
    expect((await get('/fabrikam.example/v2.0/.well-known/openid-configuration')).status).toBe(400);
  });

  it('publishes an RS256 JWKS with a kid, and instance discovery naming the simulator as its own alias', async () => {
    const keys = await get(`/common/discovery/v2.0/keys`);
    const [key] = keys.body.keys as Record<string, string>[];
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(key?.kid).toBeTruthy();
    expect(key?.d).toBeUndefined();
    const authorize = `${t.sim.baseUrl}/${t.sim.tenantId}/oauth2/v2.0/authorize`;
    const instance = await get(
      `/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(authorize)}`,
    );
    const host = new URL(t.sim.baseUrl).host;
    expect(instance.body).toMatchObject({
      tenant_discovery_endpoint: `${t.sim.baseUrl}/${t.sim.tenantId}/v2.0/.well-known/openid-configuration`,
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });
});

describe('msalConfiguration', () => {
  const base = { clientId: 'c', clientSecret: 's', tenantId: 'common' };

  it("lets MSAL discover Microsoft's own hosts itself", () => {
    for (const host of [
      'https://login.microsoftonline.com',
      'https://login.microsoftonline.us',
      'https://login.chinacloudapi.cn',
    ]) {
      const auth = msalConfiguration({ ...base, authorityHost: host }).auth;
      expect(auth.authority).toBe(`${host}/common`);
      expect(auth.knownAuthorities).toBeUndefined();
      expect(auth.authorityMetadata).toBeUndefined();
    }
  });

  it('describes a custom host exactly as the simulator serves it, and never logs PII', async () => {
    const seen: string[] = [];
    const config = msalConfiguration({
      ...base,
      tenantId: t.sim.tenantId,
      authorityHost: t.sim.authorityHost,
      logger: (level, m) => seen.push(`${level}:${m}`),
    });
    const host = new URL(t.sim.baseUrl).host;
    expect(config.auth.knownAuthorities).toEqual([host]);
    const served = await get(`/${t.sim.tenantId}/v2.0/.well-known/openid-configuration`);
    const described = JSON.parse(config.auth.authorityMetadata!) as Record<string, unknown>;
    for (const k of ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri', 'end_session_endpoint'])
      expect(described[k]).toBe(served.body[k]);
    expect(JSON.parse(config.auth.cloudDiscoveryMetadata!)).toMatchObject({ metadata: [{ aliases: [host] }] });
    const logger = config.system!.loggerOptions!;
    expect(logger.piiLoggingEnabled).toBe(false);
    logger.loggerCallback!(0, 'err', false);
    logger.loggerCallback!(1, 'secret pii', true);
    expect(seen).toEqual(['error:err']);
  });
});
