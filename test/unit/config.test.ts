import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HttpRequest } from '@azure/functions';
import { z } from 'zod';
import { ConfigError, parseSettings, settingNames } from '../../shared/config.js';
import { readQuery } from '../../shared/http/input.js';

const valid = {
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  AUTH_ISSUER: 'https://issuer.example/v2.0',
  AUTH_AUDIENCE: 'api://integrato',
  MICROSOFT_CLIENT_ID: 'client',
  MICROSOFT_CLIENT_SECRET: 'a-secret-value',
  OAUTH_REDIRECT_URIS: 'https://app.example/cb, https://app.example/cb2',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

const failure = (env: Record<string, string | undefined>) => {
  try {
    parseSettings(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('settings were accepted');
};

describe('settings', () => {
  it('parses a valid environment with defaults', () => {
    const s = parseSettings(valid);
    expect(s.OAUTH_REDIRECT_URIS).toEqual(['https://app.example/cb', 'https://app.example/cb2']);
    expect(s.MICROSOFT_TENANT_ID).toBe('common');
    expect(s.SYNC_MAIL_FOLDERS).toEqual(['inbox']);
    expect(s.GRAPH_MAX_CONCURRENCY_PER_MAILBOX).toBe(4);
  });

  it.each([
    ['MICROSOFT_CLIENT_ID', { MICROSOFT_CLIENT_ID: undefined }],
    ['OAUTH_REDIRECT_URIS', { OAUTH_REDIRECT_URIS: 'not a url' }],
    ['TOKEN_ENCRYPTION_KEY', { TOKEN_ENCRYPTION_KEY: 'c2hvcnQ=' }],
    ['AUTH_ISSUER', { AUTH_ISSUER: '' }],
    ['AzureWebJobsStorage', { AzureWebJobsStorage: undefined }],
    ['SYNC_INTERVAL_MINUTES', { SYNC_INTERVAL_MINUTES: '0' }],
    ['MICROSOFT_AUTHORITY_HOST', { MICROSOFT_AUTHORITY_HOST: 'http://login.example' }],
    ['GRAPH_MAX_CONCURRENCY_PER_MAILBOX', { GRAPH_MAX_CONCURRENCY_PER_MAILBOX: '9' }],
  ])('a bad %s fails start-up naming it, never echoing values', (name, change) => {
    const error = failure({ ...valid, ...change });
    expect(error.issues.map((i) => i.setting)).toContain(name);
    expect(error.message).toContain(name);
    expect(error.message).not.toContain('a-secret-value');
  });

  it("the README's settings table documents exactly the settings the app parses", () => {
    // First column of each table row under "## Settings": one or more `NAME`s.
    const section = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8')
      .split(/^## /m)
      .find((s) => s.startsWith('Settings'));
    const documented = (section ?? '')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([A-Za-z_]+)`/g)].map((m) => m[1]));
    expect([...documented].sort()).toEqual([...settingNames].sort());
  });
});

describe('query parameters', () => {
  const schema = z.strictObject({ a: z.string().optional() });
  const read = (qs: string) => () => readQuery(new HttpRequest({ method: 'GET', url: `http://x/api/t?${qs}` }), schema);
  it('treats prototype names as ordinary unknown parameters', () => {
    expect(read('__proto__=1')).toThrow(expect.objectContaining({ status: 400, code: 'validation_failed' }));
    expect(read('toString=1')).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ field: expect.stringContaining('toString') })] }),
    );
    expect(read('a=1')()).toEqual({ a: '1' });
  });
});
