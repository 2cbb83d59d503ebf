import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { toProblemResponse } from '../../shared/http/problem.js';
import { hasScopes, REQUIRED_SCOPES, requireScopes } from '../../shared/integrations/scope-guard.js';

describe('requireScopes', () => {
  it('passes when one alternative is granted in full, case-insensitively and with Graph’s resource prefix', () => {
    expect(() =>
      requireScopes({ scopes: ['calendars.readwrite', 'User.Read'] }, REQUIRED_SCOPES.calendarWrite),
    ).not.toThrow();
    expect(
      hasScopes({ scopes: ['https://graph.microsoft.com/Calendars.ReadWrite'] }, REQUIRED_SCOPES.calendarWrite),
    ).toBe(true);
    expect(hasScopes({ scopes: ['Mail.ReadWrite'] }, REQUIRED_SCOPES.mailSend)).toBe(false);
    expect(hasScopes({ scopes: ['Mail.Send', 'Mail.ReadWrite'] }, REQUIRED_SCOPES.mailSend)).toBe(true);
    expect(
      hasScopes({ scopes: ['Calendars.ReadWrite.Shared'] }, [['Calendars.ReadWrite'], ['Calendars.ReadWrite.Shared']]),
    ).toBe(true);
  });

  it('refuses with 403 insufficient_scope naming the first alternative in required_scopes', () => {
    let thrown: unknown;
    try {
      requireScopes({ scopes: ['Calendars.Read', 'User.Read'] }, REQUIRED_SCOPES.calendarWrite);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    const answer = toProblemResponse(thrown, 'req-1');
    expect(answer.status).toBe(403);
    expect(answer.jsonBody).toMatchObject({ code: 'insufficient_scope', required_scopes: ['Calendars.ReadWrite'] });
    expect(() => requireScopes({ scopes: [] }, REQUIRED_SCOPES.mailSend)).toThrow(AppError);
  });
});
