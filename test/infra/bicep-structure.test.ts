import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { arrayStrings, objectEntries, params, resources, skipBalanced, varBody, withoutComments } from './bicep.js';

// What a compiler would catch first, checked by reading the files: modules and parameters wired
// correctly, the Flex Consumption shape, no keys, and only the intended role assignments.

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const main = read('infra/main.bicep');
const modulesDir = join(root, 'infra/modules');
const moduleFiles = readdirSync(modulesDir).filter((f) => f.endsWith('.bicep'));
const allInfra = [main, ...moduleFiles.map((f) => read(`infra/modules/${f}`))].join('\n');

/** `module x 'path' = { … params: { … } }` calls: the file and the parameter names passed. */
function moduleCalls(text: string) {
  const clean = withoutComments(text);
  return [...clean.matchAll(/^module\s+(\w+)\s+'([^']+)'\s*=\s*(?:if\s*\([^)]*\)\s*)?\{/gm)].map((m) => {
    const open = m.index + m[0].length - 1;
    const body = clean.slice(open, skipBalanced(clean, open));
    const at = /\bparams:\s*\{/.exec(body);
    const paramsBody = at
      ? body.slice(at.index + at[0].length, skipBalanced(body, at.index + at[0].length - 1) - 1)
      : '';
    return { symbol: m[1]!, path: m[2]!, passed: objectEntries(paramsBody).map(([k]) => k) };
  });
}

const ROLE_NAMES: Record<string, string> = {
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': 'Storage Blob Data Owner',
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88': 'Storage Queue Data Contributor',
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3': 'Storage Table Data Contributor',
  '4633458b-17de-408a-b874-0445c86b69e6': 'Key Vault Secrets User',
  'b86a8fe4-44ce-4948-aee5-eccb2c155cd7': 'Key Vault Secrets Officer',
  '3913510d-42f4-4e42-8a64-420c390055eb': 'Monitoring Metrics Publisher',
};

/** Each role assignment of a file: its symbol, role expression, principal and scope. */
function roleAssignments(text: string) {
  return resources(text)
    .filter((r) => r.type === 'Microsoft.Authorization/roleAssignments')
    .map((r) => ({
      symbol: r.symbol,
      role: /roleDefinitions', ([\w.]+)\)/.exec(r.body)?.[1],
      principal: /principalId: (\w+)/.exec(r.body)?.[1],
      scope: /\bscope: ([\w[\]]+)/.exec(r.body)?.[1],
    }));
}

describe('infra/ is wired together', () => {
  it('every module exists, is used, and gets exactly the parameters it declares (all required ones)', () => {
    // Modules called from main.bicep, and from other modules (paths relative to infra/modules/).
    const nested = moduleFiles.flatMap((f) =>
      moduleCalls(read(`infra/modules/${f}`)).map((c) => ({ ...c, path: `modules/${c.path}` })),
    );
    const calls = [...moduleCalls(main), ...nested];
    expect(calls.map((c) => c.path).sort()).toEqual(moduleFiles.map((f) => `modules/${f}`).sort());
    for (const call of calls) {
      const declared = params(read(`infra/${call.path}`));
      const required = [...declared].filter(([, p]) => p.default === undefined).map(([name]) => name);
      expect(
        call.passed.filter((p) => !declared.has(p)),
        `${call.path}: unknown`,
      ).toEqual([]);
      expect(
        required.filter((p) => !call.passed.includes(p)),
        `${call.path}: missing`,
      ).toEqual([]);
    }
  });

  it('main.parameters.json supplies every required parameter and names no unknown one', () => {
    const supplied = Object.keys((JSON.parse(read('infra/main.parameters.json')) as { parameters: object }).parameters);
    const declared = params(main);
    expect(supplied.filter((p) => !declared.has(p))).toEqual([]);
    const required = [...declared].filter(([, p]) => p.default === undefined).map(([name]) => name);
    expect(required.filter((p) => !supplied.includes(p))).toEqual([]);
  });

  it('azure.yaml deploys the `api` service to the Function App that carries its tag, and its hooks exist', () => {
    const yaml = read('azure.yaml');
    expect(yaml).toMatch(/^services:\n {2}api:\n {4}project: \.\n {4}language: ts\n {4}host: function\n/m);
    expect(yaml).toMatch(/^infra:\n {2}provider: bicep\n {2}path: infra\n {2}module: main\n/m);
    expect(read('infra/modules/function-app.bicep')).toContain("{ 'azd-service-name': 'api' }");
    for (const [, hook] of yaml.matchAll(/run: (\S+)/g)) expect(existsSync(join(root, hook!)), hook).toBe(true);
    // The hook reads these azd outputs.
    expect(main).toMatch(/^output KEY_VAULT_NAME string/m);
    expect(main).toMatch(/^output TOKEN_KEY_SECRET_NAME string/m);
    const pkg = JSON.parse(read('package.json')) as { main: string };
    expect(pkg.main).toBe('dist/functions/index.js');
  });
});

describe('the resources are what the issue asks for', () => {
  const functionApp = withoutComments(read('infra/modules/function-app.bicep'));
  const storage = withoutComments(read('infra/modules/storage.bicep'));
  const vault = withoutComments(read('infra/modules/keyvault.bicep'));

  it('Flex Consumption (FC1), Node 22, deployment container and Key Vault references through the identity', () => {
    expect(functionApp).toMatch(/sku: \{\s*name: 'FC1'\s*tier: 'FlexConsumption'\s*\}/);
    expect(functionApp).toMatch(/runtime: \{\s*name: 'node'\s*version: '22'\s*\}/);
    expect(functionApp).toMatch(
      /type: 'blobContainer'[\s\S]*authentication: \{\s*type: 'UserAssignedIdentity'\s*userAssignedIdentityResourceId: identityId/,
    );
    expect(functionApp).toMatch(/identity: \{\s*type: 'UserAssigned'/);
    expect(functionApp).toContain('keyVaultReferenceIdentity: identityId');
    expect(functionApp).toContain('httpsOnly: true');
    // Deprecated on Flex Consumption (runtime and package live in functionAppConfig).
    for (const setting of [
      'FUNCTIONS_WORKER_RUNTIME',
      'FUNCTIONS_EXTENSION_VERSION',
      'WEBSITE_RUN_FROM_PACKAGE',
      'WEBSITE_CONTENTSHARE',
      'WEBSITE_NODE_DEFAULT_VERSION',
      'SCM_DO_BUILD_DURING_DEPLOYMENT',
      'ENABLE_ORYX_BUILD',
    ]) {
      expect(withoutComments(allInfra)).not.toContain(setting);
    }
  });

  it('storage without shared keys, Key Vault with RBAC, soft delete and purge protection, no keys anywhere', () => {
    expect(storage).toContain('allowSharedKeyAccess: false');
    expect(storage).toContain('allowBlobPublicAccess: false');
    expect(vault).toContain('enableRbacAuthorization: true');
    expect(vault).toContain('enableSoftDelete: true');
    expect(vault).toContain('enablePurgeProtection: true');
    expect(vault).not.toContain('accessPolicies');
    expect(withoutComments(allInfra)).not.toMatch(/listKeys\(|AccountKey=|SharedAccessSignature/);
    expect(read('infra/modules/monitoring.bicep')).toContain("kind: 'web'");
    expect(read('infra/modules/monitoring.bicep')).toMatch(/WorkspaceResourceId: workspace\.id/);
  });

  it('least privilege: only data-plane roles, each on the narrowest scope the app uses', () => {
    const roles = read('infra/modules/roles.bicep');
    const guids = [
      ...withoutComments(allInfra).matchAll(/'([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'/g),
    ].map((m) => m[1]!);
    expect([...new Set(guids)].map((g) => ROLE_NAMES[g] ?? `unexpected ${g}`).sort()).toEqual(
      Object.values(ROLE_NAMES).sort(),
    );
    expect(arrayStrings(varBody(roles, 'accountRoles').replace(/roles\.(\w+)/g, "'$1'"))).toEqual([
      'storageQueueDataContributor',
      'storageTableDataContributor',
    ]);
    expect(
      roleAssignments(roles)
        .map((a) => `${a.symbol}: ${a.role} → ${a.principal} on ${a.scope}`)
        .sort(),
    ).toEqual([
      'appBlobs: roles.storageBlobDataOwner → appPrincipalId on containers[i]',
      'appClientSecret: roles.keyVaultSecretsUser → appPrincipalId on clientSecret',
      'appStorage: role → appPrincipalId on storage',
      'appTelemetry: roles.monitoringMetricsPublisher → appPrincipalId on appInsights',
      'deployerSecrets: roles.keyVaultSecretsOfficer → deployerPrincipalId on vault',
    ]);
    // No other file assigns roles.
    for (const f of moduleFiles.filter((f) => f !== 'roles.bicep'))
      expect(roleAssignments(read(`infra/modules/${f}`)), f).toEqual([]);
    expect(roleAssignments(main)).toEqual([]);
  });
});

// Issue 19, finding 10.
describe('hardened infrastructure', () => {
  const text = (f: string) => withoutComments(read(`infra/modules/${f}`));
  const byType = (f: string, type: string) => resources(read(`infra/modules/${f}`)).filter((r) => r.type === type);
  const mainParams = (symbol: string) => moduleCalls(main).find((c) => c.symbol === symbol)!;
  const mainClean = withoutComments(main);
  /** The value text main.bicep passes to a module's parameter. */
  const passed = (symbol: string, param: string) => {
    const at = new RegExp(`^module ${symbol} [^\\n]*\\{`, 'm').exec(mainClean)!;
    const body = mainClean.slice(at.index + at[0].length - 1, skipBalanced(mainClean, at.index + at[0].length - 1));
    const p = /\bparams:\s*\{/.exec(body)!;
    const entries = objectEntries(body.slice(p.index + p[0].length, skipBalanced(body, p.index + p[0].length - 1) - 1));
    return Object.fromEntries(entries)[param];
  };

  it('Key Vault sends its AuditEvent log, storage its blob, queue and table logs, to Log Analytics', () => {
    const [audit, ...others] = byType('keyvault.bicep', 'Microsoft.Insights/diagnosticSettings');
    expect(others).toEqual([]);
    expect(audit!.body).toMatch(/scope: vault\b/);
    expect(audit!.body).toMatch(/workspaceId: workspaceId\b/);
    expect(audit!.body).toMatch(/category: 'AuditEvent', enabled: true/);
    const storageLogs = byType('storage.bicep', 'Microsoft.Insights/diagnosticSettings');
    expect(storageLogs.map((r) => /scope: (\w+)/.exec(r.body)?.[1]).sort()).toEqual([
      'blobs',
      'queueService',
      'tableService',
    ]);
    for (const r of storageLogs) {
      expect(r.body).toMatch(/workspaceId: workspaceId\b/);
      expect(r.body).toMatch(/logs: \[for category in logCategories: \{ category: category, enabled: true \}\]/);
    }
    expect(arrayStrings(varBody(read('infra/modules/storage.bicep'), 'logCategories'))).toEqual([
      'StorageRead',
      'StorageWrite',
      'StorageDelete',
    ]);
    expect(passed('storage', 'workspaceId')).toBe('monitoring.outputs.workspaceId');
    expect(passed('keyVault', 'workspaceId')).toBe('monitoring.outputs.workspaceId');
  });

  it('no FTP and no basic-auth publishing (ftp and scm credentials policies off)', () => {
    const policies = byType('function-app.bicep', 'Microsoft.Web/sites/basicPublishingCredentialsPolicies');
    expect(policies.map((p) => /name: '(\w+)'/.exec(p.body)?.[1]).sort()).toEqual(['ftp', 'scm']);
    for (const p of policies) {
      expect(p.body).toMatch(/parent: site\b/);
      expect(p.body).toMatch(/properties: \{ allow: false \}/);
    }
    expect(text('function-app.bicep')).toContain("ftpsState: 'Disabled'");
  });

  it('Application Insights takes Entra-authenticated telemetry only, and the app signs in as its identity', () => {
    expect(text('monitoring.bicep')).toContain('DisableLocalAuth: true');
    expect(text('monitoring.bicep')).not.toContain('DisableLocalAuth: false');
    const settings = Object.fromEntries(objectEntries(varBody(main, 'appSettings')));
    expect(settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING).toBe(
      "'ClientId=${appIdentity.outputs.clientId};Authorization=AAD'",
    );
    expect(settings.AZURE_CLIENT_ID).toBe('appIdentity.outputs.clientId');
    expect(
      roleAssignments(read('infra/modules/roles.bicep')).find((a) => a.role === 'roles.monitoringMetricsPublisher')
        ?.scope,
    ).toBe('appInsights');
    expect(passed('roles', 'appInsightsName')).toBe('monitoring.outputs.appInsightsName');
  });

  it('blob access only on the deployment and host containers; Secrets User only on secrets, never the vault', () => {
    const storage = read('infra/modules/storage.bicep');
    expect(arrayStrings(varBody(storage, 'hostContainerNames'))).toEqual([
      'azure-webjobs-hosts',
      'azure-webjobs-secrets',
    ]);
    expect(withoutComments(storage)).toMatch(
      /^output blobContainerNames array = \[deploymentContainer\.name, hostContainers\[0\]\.name, hostContainers\[1\]\.name\]$/m,
    );
    expect(passed('roles', 'blobContainerNames')).toBe('storage.outputs.blobContainerNames');
    const roles = read('infra/modules/roles.bicep');
    const containers = resources(roles).find((r) => r.symbol === 'containers')!;
    expect(containers.type).toBe('Microsoft.Storage/storageAccounts/blobServices/containers');
    expect(containers.body).toMatch(/for container in blobContainerNames:/);
    const secret = resources(roles).find((r) => r.symbol === 'clientSecret')!;
    expect(secret.type).toBe('Microsoft.KeyVault/vaults/secrets');
    expect(secret.body).toMatch(/parent: vault\s+name: microsoftClientSecretName/);
    expect(passed('roles', 'microsoftClientSecretName')).toBe('keyVault.outputs.microsoftClientSecretName');
    const app = roleAssignments(roles).filter((a) => a.principal === 'appPrincipalId');
    expect(
      app.filter((a) => a.scope === 'vault' || (a.role === 'roles.storageBlobDataOwner' && a.scope === 'storage')),
    ).toEqual([]);
    // The token key's secret is created by the hook after provisioning; the hook assigns its role.
    expect(mainClean).toMatch(/^output APP_PRINCIPAL_ID string = appIdentity\.outputs\.principalId$/m);
    expect(mainClean).toMatch(/^output KEY_VAULT_ID string = keyVault\.outputs\.id$/m);
  });

  it("the host's request records keep no query string: a workspace transformation on AppRequests", () => {
    const monitoring = withoutComments(read('infra/modules/monitoring.bicep'));
    const dcr = resources(monitoring).find((r) => r.type === 'Microsoft.Insights/dataCollectionRules');
    expect(dcr?.body).toContain("kind: 'WorkspaceTransforms'");
    expect(dcr?.body).toContain("'Microsoft-Table-AppRequests'");
    expect(dcr?.body).toMatch(/workspaceResourceId: workspace\.id/);
    // The transformation keeps the URL up to its query string.
    expect(dcr?.body).toContain(`transformKql: 'source | extend Url = tostring(split(Url, "?")[0])'`);
    const link = withoutComments(read('infra/modules/workspace-transform-link.bicep'));
    expect(link).toMatch(/defaultDataCollectionRuleResourceId: dataCollectionRuleId/);
    expect(monitoring).toMatch(new RegExp(`dataCollectionRuleId: ${dcr?.symbol}\\.id`));
  });

  it('private endpoints with public access off, as a parameter that is off by default', () => {
    expect(params(main).get('privateNetworking')).toEqual({ type: 'bool', default: 'false' });
    expect(mainClean).toMatch(/^var publicNetworkAccess = privateNetworking \? 'Disabled' : 'Enabled'$/m);
    expect(passed('storage', 'publicNetworkAccess')).toBe('publicNetworkAccess');
    expect(passed('keyVault', 'publicNetworkAccess')).toBe('publicNetworkAccess');
    expect(mainClean).toMatch(/^module network 'modules\/network\.bicep' = if \(privateNetworking\) \{/m);
    expect(passed('functionApp', 'virtualNetworkSubnetId')).toBe(
      "privateNetworking ? network!.outputs.appSubnetId : ''",
    );
    for (const f of ['storage.bicep', 'keyvault.bicep']) {
      expect(text(f), f).toContain('publicNetworkAccess: publicNetworkAccess');
      expect(text(f), f).toContain(
        "networkAcls: { defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny', bypass: 'AzureServices' }",
      );
      expect(params(read(`infra/modules/${f}`)).get('publicNetworkAccess')?.default).toBe("'Enabled'");
    }
    const network = read('infra/modules/network.bicep');
    const endpoints = objectEntries(
      varBody(network, 'endpoints')
        .replace(/^\s*\{\s*|\s*\}\s*$/gm, '')
        .replace(/\n/g, ',\n'),
    );
    expect(endpoints.filter(([k]) => k === 'name').map(([, v]) => v)).toEqual([
      "'blob'",
      "'queue'",
      "'table'",
      "'vault'",
    ]);
    expect(withoutComments(network)).toContain('groupIds: [endpoint.name]');
    expect(withoutComments(network)).toContain("serviceName: 'Microsoft.App/environments'");
    expect(
      resources(network)
        .map((r) => r.type)
        .sort(),
    ).toEqual([
      'Microsoft.Network/privateDnsZones',
      'Microsoft.Network/privateDnsZones/virtualNetworkLinks',
      'Microsoft.Network/privateEndpoints',
      'Microsoft.Network/privateEndpoints/privateDnsZoneGroups',
      'Microsoft.Network/virtualNetworks',
    ]);
    expect(text('function-app.bicep')).toContain(
      'virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId',
    );
    expect(mainParams('network').passed.sort()).toEqual(['keyVaultId', 'location', 'name', 'storageAccountId', 'tags']);
  });
});
