import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The azd postprovision hook (infra/hooks/postprovision.sh) against a stand-in `az` on PATH that
// answers like the Azure CLI (SecretNotFound, Forbidden) and records what it was asked to do.

const hook = fileURLToPath(new URL('../../infra/hooks/postprovision.sh', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'postprovision-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// `show` fails with $FAKE_SHOW_ERRORS (space-separated) one per call, then answers as $FAKE_FINAL.
writeFileSync(
  join(dir, 'az'),
  `#!/bin/sh
echo "$*" >> "$FAKE_DIR/calls"
case "$*" in
  "keyvault secret show"*)
    n=$(grep -c '^keyvault secret show' "$FAKE_DIR/calls")
    err=$(echo "$FAKE_SHOW_ERRORS" | cut -d' ' -f"$n")
    if [ -n "$err" ]; then echo "ERROR: ($err) simulated" >&2; exit 1; fi
    if [ "$FAKE_FINAL" = exists ]; then echo "https://kv.vault.azure.net/secrets/token-encryption-key/abc"; exit 0; fi
    echo "ERROR: (SecretNotFound) A secret with (name/id) token-encryption-key was not found in this key vault." >&2; exit 1 ;;
  "keyvault secret set"*)
    file=$(echo "$*" | sed -n 's/.*--file \\([^ ]*\\).*/\\1/p')
    cp "$file" "$FAKE_DIR/value"; exit 0 ;;
  "role assignment create"*)
    if [ -n "$FAKE_ROLE_ERROR" ]; then echo "ERROR: ($FAKE_ROLE_ERROR) simulated" >&2; exit 1; fi
    exit 0 ;;
esac
exit 2
`,
);
chmodSync(join(dir, 'az'), 0o755);

const VAULT_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-test';
const GRANT = `role assignment create --assignee-object-id aaaaaaaa-0000-0000-0000-000000000001 --assignee-principal-type ServicePrincipal --role 4633458b-17de-408a-b874-0445c86b69e6 --scope ${VAULT_ID}/secrets/token-encryption-key --output none`;

function run(final: 'exists' | 'missing', showErrors: string[] = [], roleError = '') {
  rmSync(join(dir, 'calls'), { force: true });
  rmSync(join(dir, 'value'), { force: true });
  const env = {
    ...process.env,
    PATH: `${dir}:${process.env.PATH}`,
    FAKE_DIR: dir,
    FAKE_FINAL: final,
    FAKE_SHOW_ERRORS: showErrors.join(' '),
    FAKE_ROLE_ERROR: roleError,
    KEY_VAULT_NAME: 'kv-test',
    KEY_VAULT_ID: VAULT_ID,
    APP_PRINCIPAL_ID: 'aaaaaaaa-0000-0000-0000-000000000001',
    TOKEN_KEY_SECRET_NAME: 'token-encryption-key',
    POSTPROVISION_RETRY_SECONDS: '0',
  };
  return new Promise<{ code: number; out: string; calls: string[]; value?: string }>((resolve) => {
    execFile('sh', [hook], { env }, (error, stdout, stderr) => {
      const calls = readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
      let value: string | undefined;
      try {
        value = readFileSync(join(dir, 'value'), 'utf8');
      } catch {
        value = undefined;
      }
      resolve({ code: error ? Number(error.code) : 0, out: stdout + stderr, calls, value });
    });
  });
}

describe('postprovision hook: the token key is created once, never rotated by a deployment', () => {
  it('leaves an existing key alone', async () => {
    const result = await run('exists');
    expect(result.code).toBe(0);
    expect(result.calls.filter((c) => c.startsWith('keyvault secret set'))).toEqual([]);
    expect(result.out).toContain('already exists');
  });

  it('creates a missing key: 32 random bytes in base64, passed by file, never printed', async () => {
    const result = await run('missing');
    expect(result.code).toBe(0);
    const sets = result.calls.filter((c) => c.startsWith('keyvault secret set'));
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatch(/--vault-name kv-test --name token-encryption-key --file \S+ --encoding utf-8/);
    expect(sets[0]).not.toContain('--value');
    expect(Buffer.from(result.value!, 'base64')).toHaveLength(32);
    expect(result.value).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(result.out).not.toContain(result.value);
    const again = await run('missing');
    expect(again.value).not.toBe(result.value);
  });

  it('waits out a role assignment that is not effective yet, and never writes while it cannot read', async () => {
    const result = await run('exists', ['Forbidden', 'Forbidden']);
    expect(result.code).toBe(0);
    expect(result.calls.filter((c) => c.startsWith('keyvault secret show'))).toHaveLength(3);
    expect(result.calls.filter((c) => c.startsWith('keyvault secret set'))).toEqual([]);
    const never = await run('exists', Array(10).fill('Forbidden'));
    expect(never.code).not.toBe(0);
    expect(never.calls.filter((c) => c.startsWith('keyvault secret set'))).toEqual([]);
    expect(never.out).toContain('Forbidden');
  });

  it('gives the app Key Vault Secrets User on the token key only, once the key exists (issue 19, finding 10)', async () => {
    for (const final of ['exists', 'missing'] as const) {
      const result = await run(final);
      expect(result.code, result.out).toBe(0);
      expect(result.calls.filter((c) => c.startsWith('role assignment'))).toEqual([GRANT]);
      // After the key: the assignment's scope must exist.
      expect(result.calls.findIndex((c) => c.startsWith('role assignment'))).toBe(result.calls.length - 1);
    }
    expect((await run('exists', [], 'RoleAssignmentExists')).code).toBe(0);
    const refused = await run('exists', [], 'AuthorizationFailed');
    expect(refused.code).not.toBe(0);
    expect(refused.out).toContain('AuthorizationFailed');
    const never = await run('exists', Array(10).fill('Forbidden'));
    expect(never.calls.filter((c) => c.startsWith('role assignment'))).toEqual([]);
  });
});
