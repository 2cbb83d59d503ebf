import { describe, expect, it } from 'vitest';
import { graphEventSchema, graphLinkProblem, parseDeltaPage, UntrustedLinkError } from '../../shared/graph/schemas.js';

const GRAPH = 'https://graph.microsoft.com';
const SIM = 'https://localhost:7443';

describe('links Graph may send us to', () => {
  it('accepts Graph’s own links under /v1.0/ (the docs’ shapes, national clouds, the simulator)', () => {
    for (const link of [
      'https://graph.microsoft.com/v1.0/me/calendarView/delta?$skiptoken=R0usmcCM996atia_s',
      "https://graph.microsoft.com/v1.0/me/mailfolders('AQMkADNkNAAAgEMAAAA')/messages/delta?$deltatoken=GwcBoTmPuoGNlgXgF1nyUNMXY",
      'https://graph.microsoft.com/v1.0/me/mailFolders/AAMkAGUwNc4LTMzAAA=/messages/delta?$deltatoken=P4lmXpjPRrjB6haAQ_37roqIbjXe66KoV7SMlLH--Jgi8',
    ]) {
      expect(graphLinkProblem(link, GRAPH), link).toBeUndefined();
    }
    expect(
      graphLinkProblem(
        'https://graph.microsoft.us/v1.0/me/calendarView/delta?$skiptoken=x',
        'https://graph.microsoft.us',
      ),
    ).toBeUndefined();
    expect(graphLinkProblem(`${SIM}/v1.0/me/calendarView/delta?$skiptoken=x`, SIM)).toBeUndefined();
  });

  it('refuses other hosts, userinfo, other ports and schemes, other versions, dot segments and parser tricks', () => {
    for (const link of [
      'https://evil.example/v1.0/me/calendarView/delta',
      'https://graph.microsoft.com:443@evil.example/v1.0/me/calendarView/delta',
      'https://graph.microsoft.com@evil.example/v1.0/me',
      'https://user:pw@graph.microsoft.com/v1.0/me',
      'https://graph.microsoft.com.evil.example/v1.0/me',
      'https://graph.microsoft.com:8443/v1.0/me',
      'http://graph.microsoft.com/v1.0/me',
      'https://graph.microsoft.com/beta/me/calendarView/delta',
      'https://graph.microsoft.com/v1.0/../beta/me',
      'https://graph.microsoft.com/v1.0/%2e%2e/beta/me',
      'https://graph.microsoft.com\\@evil.example/v1.0/me',
      'https://graph.microsoft.com/v1.0/me\\..\\..\\beta',
      'https://graph.microsoft.com/v1.0/me\t',
      'https://graph.micro\nsoft.com/v1.0/me',
      ' https://graph.microsoft.com/v1.0/me',
      '//evil.example/v1.0/me',
      '/v1.0/me/calendarView/delta',
      'https://graph.microsoft.com/v1.0',
      `${SIM}/v1.0/me`,
    ]) {
      expect(graphLinkProblem(link, GRAPH), link).toEqual(expect.any(String));
    }
    // The simulator's origin includes its port: the same host on another port is another origin.
    expect(graphLinkProblem('https://localhost:7444/v1.0/me', SIM)).toEqual(expect.any(String));
    expect(graphLinkProblem('https://localhost:7443@127.0.0.1:9/v1.0/me', SIM)).toEqual(expect.any(String));
  });

  it('a delta page naming such a link throws UntrustedLinkError (which link, why), before any entry is used', () => {
    const page = (links: Record<string, string>) => ({ value: [{ id: 'a', subject: 's' }], ...links });
    expect(() =>
      parseDeltaPage(
        page({ '@odata.nextLink': 'https://graph.microsoft.com:443@evil.example/v1.0/x' }),
        graphEventSchema,
      ),
    ).toThrow(UntrustedLinkError);
    try {
      parseDeltaPage(
        page({ '@odata.deltaLink': `${SIM}/v1.0/me/calendarView/delta?$deltatoken=x` }),
        graphEventSchema,
        GRAPH,
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UntrustedLinkError);
      expect((error as UntrustedLinkError).link).toBe('deltaLink');
      expect((error as Error).message).not.toContain('localhost'); // the link itself is never logged
    }
    const ok = parseDeltaPage(
      page({ '@odata.deltaLink': `${SIM}/v1.0/me/calendarView/delta?$deltatoken=x` }),
      graphEventSchema,
      SIM,
    );
    expect(ok.deltaLink).toContain('$deltatoken=x');
  });
});
