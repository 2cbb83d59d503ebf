import { describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/log.js';
import { findShapedLeaks } from '../support/secret-scan.js';
import { leaksSoFar, recordLine, secretWatch } from '../support/secret-watch.js';

// The suite-wide secret watch (test/support/secret-watch.setup.ts) also knows secrets by their
// shape: storage keys, SAS signatures and form-encoded credentials that no simulator issues.

const VALUE = 'Zq8sV1kP0xWm3Rt7Yb2Nc5Hd9Lf4Gj6A';
const LEAKY = [
  `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${VALUE}==;EndpointSuffix=core.windows.net`,
  `GET https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sr=b&sig=${VALUE}%3D`,
  `client_secret=${VALUE}&grant_type=client_credentials`,
  `{"msg":"token request","body":"grant_type=refresh_token&refresh_token=${VALUE}&client_id=x"}`,
  `Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=${VALUE}`,
];

describe('the secret watch knows secrets by their shape', () => {
  it('flags each shape, and nothing redacted or harmless', () => {
    expect(findShapedLeaks(LEAKY).map((l) => l.kind)).toEqual([
      'storage account key (AccountKey=)',
      'SAS signature (sig=)',
      'form-encoded secret',
      'form-encoded secret',
      'shared access key (SharedAccessKey=)',
    ]);
    for (const leak of findShapedLeaks(LEAKY)) expect(leak.line).not.toContain(VALUE.slice(0, 12));
    const harmless = [
      'AccountName=acct;AccountKey=[redacted];EndpointSuffix=x',
      'https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=[redacted]',
      'grant_type=refresh_token&client_secret=[redacted]',
      'error_code=invalid_grant&design=1',
      '{"msg":"sync succeeded","pages":3}',
    ];
    expect(findShapedLeaks(harmless)).toEqual([]);
  });

  it('is part of the watch: a shaped secret in a logged line counts as a leak of this file', () => {
    const before = secretWatch().lines.length;
    recordLine(LEAKY[0]!);
    expect(leaksSoFar().map((l) => l.kind)).toContain('storage account key (AccountKey=)');
    secretWatch().lines.splice(before); // not a real leak of this file: take it back
    expect(leaksSoFar()).toEqual([]);
  });

  it('what the logger writes of those texts passes the watch', () => {
    const lines: string[] = [];
    const push = (line: string) => void lines.push(line);
    const log = createLogger({ debug: push, info: push, warn: push, error: push }, {}, 'debug');
    for (const text of LEAKY)
      log.warn(text, { detail: text, nested: { a: { b: { c: { d: { e: { f: { g: text } } } } } } } });
    expect(lines).toHaveLength(LEAKY.length);
    expect(findShapedLeaks(lines)).toEqual([]);
  });
});
