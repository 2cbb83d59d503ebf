import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, scrub } from '../../shared/log.js';
import { settings } from '../../shared/root.js';
import { useSettings } from '../support/settings.js';

// Issue 19, finding 8 (redaction) and issue 12, item 6 (LOG_LEVEL): the logger's own rules.

const SECRET = 'Zq8sV1kP0xWm3Rt7Yb2Nc5Hd9Lf4Gj6A'; // 32 characters, nothing like a JWT

function capture(level?: 'debug' | 'info' | 'warn' | 'error') {
  const lines: string[] = [];
  const push = (line: string) => void lines.push(line);
  return { lines, log: createLogger({ debug: push, info: push, warn: push, error: push }, {}, level) };
}

// Valid settings otherwise: with invalid ones the logger keeps `info` (it never fails a line).
// The composition root applies LOG_LEVEL when it parses the settings, as every invocation does first.
const setLogLevel = (LOG_LEVEL: string | undefined) => {
  useSettings({ AzureWebJobsStorage: 'UseDevelopmentStorage=true', LOG_LEVEL });
  settings();
};

afterEach(() => setLogLevel(undefined));

describe('LOG_LEVEL filters the logger', () => {
  it('warn drops debug and info lines and keeps warn and error', () => {
    setLogLevel('warn');
    const { lines, log } = capture();
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    log.child({ x: 1 }).info('child info');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['w', 'e']);
  });

  it('debug writes every level; info (the default) drops only debug', () => {
    setLogLevel('debug');
    const verbose = capture();
    for (const level of ['debug', 'info', 'warn', 'error'] as const) verbose.log[level](level);
    expect(verbose.lines.map((l) => JSON.parse(l).level)).toEqual(['debug', 'info', 'warn', 'error']);
    setLogLevel(undefined);
    const normal = capture();
    for (const level of ['debug', 'info', 'warn', 'error'] as const) normal.log[level](level);
    expect(normal.lines.map((l) => JSON.parse(l).level)).toEqual(['info', 'warn', 'error']);
  });

  it('a level given to the logger wins over the setting; error keeps only errors', () => {
    setLogLevel('debug');
    const { lines, log } = capture('error');
    log.warn('w');
    log.error('e');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['e']);
  });
});

describe('redaction', () => {
  it('objects nested deeper than the walk are not logged as they are', () => {
    const { lines, log } = capture('debug');
    let deep: Record<string, unknown> = { refresh_token: SECRET, client_secret: SECRET, note: SECRET };
    for (let i = 0; i < 8; i++) deep = { level: deep };
    log.info('deep', { deep, list: [[[[[[[{ client_secret: SECRET }]]]]]]] });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(SECRET.slice(0, 12));
  });

  it('form bodies, connection strings, SAS signatures and quoted JSON lose their secrets', () => {
    const texts = [
      `client_secret=${SECRET}&grant_type=refresh_token&refresh_token=${SECRET}x`,
      `code=${SECRET}&code_verifier=${SECRET}y&redirect_uri=https%3A%2F%2Fapp`,
      `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${SECRET}==;EndpointSuffix=core.windows.net`,
      `accountkey=${SECRET};`,
      `https://acct.queue.core.windows.net/q?sv=2022-11-02&se=2026-12-01&sp=r&sig=${SECRET}%3D`,
      `Endpoint=sb://x/;SharedAccessKeyName=k;SharedAccessKey=${SECRET}`,
      `upstream said {"error":"x","refresh_token":"${SECRET}","client_secret" : "${SECRET}"}`,
      `POST body (client_secret=${SECRET})`,
    ];
    for (const text of texts) expect(scrub(text), text).not.toContain(SECRET.slice(0, 12));
    const { lines, log } = capture('debug');
    log.warn(`request failed: ${texts[0]}`, { body: texts[1], connection: texts[2], url: texts[4] });
    expect(lines[0]).not.toContain(SECRET.slice(0, 12));
  });

  it('keeps what is not secret: error codes, grant types, account names, other query parameters', () => {
    expect(scrub('error_code=invalid_grant&grant_type=refresh_token')).toBe(
      'error_code=invalid_grant&grant_type=refresh_token',
    );
    expect(scrub('AccountName=acct;AccountKey=abc;EndpointSuffix=x')).toBe(
      'AccountName=acct;AccountKey=[redacted];EndpointSuffix=x',
    );
    expect(scrub('/v1.0/me/messages?$top=10&$skiptoken=abc')).toBe('/v1.0/me/messages?$top=10&$skiptoken=[redacted]');
    expect(scrub('/v1.0/me/events/delta?%24deltatoken=abc&x=1')).toBe(
      '/v1.0/me/events/delta?%24deltatoken=[redacted]&x=1',
    );
    const { lines, log } = capture('debug');
    log.info('m', { error_code: 'graph_unavailable', status_code: 500, nested: { a: { b: { c: 1 } } } });
    expect(JSON.parse(lines[0]!)).toMatchObject({
      error_code: 'graph_unavailable',
      status_code: 500,
      nested: { a: { b: { c: 1 } } },
    });
  });
});
