import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { objectEntries, params, skipBalanced, withoutComments } from './bicep.js';

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
  return [...clean.matchAll(/^module\s+(\w+)\s+'([^']+)'\s*=\s*\{/gm)].map((m) => {
    const open = m.index + m[0].length - 1;
    const body = clean.slice(open, skipBalanced(clean, open));
    const at = /\bparams:\s*\{/.exec(body);
    const paramsBody = at ? body.slice(at.index + at[0].length, skipBalanced(body, at.index + at[0].length - 1) - 1) : '';
    return { symbol: m[1]!, path: m[2]!, passed: objectEntries(paramsBody).map(([k]) => k) };
  });
}

const ROLE_NAMES: Record<string, string> = {
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': 'Storage Blob Data Owner',
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88': 'Storage Queue Data Contributor',
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3': 'Storage Table Data Contributor',
  '4633458b-17de-408a-b874-0445c86b69e6': 'Key Vault Secrets User',
  'b86a8fe4-44ce-4948-aee5-eccb2c155cd7': 'Key Vault Secrets Officer',
};

describe('infra/ is wired together', () => {
  it('every module exists, is used, and gets exactly the parameters it declares (all required ones)', () => {
    const calls = moduleCalls(main);
    expect(calls.map((c) => c.path).sort()).toEqual(moduleFiles.map((f) => `modules/${f}`).sort());
    for (const call of calls) {
      const declared = params(read(`infra/${call.path}`));
      const required = [...declared].filter(([, p]) => p.default === undefined).map(([name]) => name);
      expect(call.passed.filter((p) => !declared.has(p)), `${call.path}: unknown`).toEqual([]);
      expect(required.filter((p) => !call.passed.includes(p)), `${call.path}: missing`).toEqual([]);
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
    expect(functionApp).toMatch(/type: 'blobContainer'[\s\S]*authentication: \{\s*type: 'UserAssignedIdentity'\s*userAssignedIdentityResourceId: identityId/);
    expect(functionApp).toMatch(/identity: \{\s*type: 'UserAssigned'/);
    expect(functionApp).toContain('keyVaultReferenceIdentity: identityId');
    expect(functionApp).toContain('httpsOnly: true');
    // Deprecated on Flex Consumption (runtime and package live in functionAppConfig).
    for (const setting of ['FUNCTIONS_WORKER_RUNTIME', 'FUNCTIONS_EXTENSION_VERSION', 'WEBSITE_RUN_FROM_PACKAGE', 'WEBSITE_CONTENTSHARE', 'WEBSITE_NODE_DEFAULT_VERSION']) {
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

  it('least privilege: only data-plane roles, the app’s on storage and the vault, the deployer’s on the vault', () => {
    const roles = withoutComments(read('infra/modules/roles.bicep'));
    const guids = [...withoutComments(allInfra).matchAll(/'([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'/g)].map((m) => m[1]!);
    expect([...new Set(guids)].map((g) => ROLE_NAMES[g] ?? `unexpected ${g}`).sort()).toEqual(Object.values(ROLE_NAMES).sort());
    expect(roles).toMatch(/var storageRoles = \[\s*roles\.storageBlobDataOwner\s*roles\.storageQueueDataContributor\s*roles\.storageTableDataContributor\s*\]/);
    const assignments = [...roles.matchAll(/roleDefinitions', (role|roles\.\w+)\)\s*principalId: (\w+)/g)].map((m) => `${m[1]} → ${m[2]}`);
    expect(assignments.sort()).toEqual(['role → appPrincipalId', 'roles.keyVaultSecretsOfficer → deployerPrincipalId', 'roles.keyVaultSecretsUser → appPrincipalId']);
    expect(roles).toMatch(/for role in storageRoles: \{[\s\S]*?scope: storage\b/);
    expect(roles).toMatch(/resource appSecrets [\s\S]*?scope: vault\b/);
  });
});
