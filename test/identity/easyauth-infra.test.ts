import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { definitions } from '../../functions/all.js';
import { arrayStrings, objectEntries, params, skipBalanced, varBody, withoutComments } from '../infra/bicep.js';
import { bicepAppSettings } from '../infra/settings-check.js';

// Issue 19, finding 1: choosing AUTH_MODE=easyauth in the Bicep also switches App Service
// Authentication on, requiring authentication (401 otherwise) except on the anonymous routes.
const path = (p: string) => new URL(`../../${p}`, import.meta.url);
const read = (p: string) => withoutComments(readFileSync(path(p), 'utf8'));

/** The body of the first `{…}` after `from` in `text`. */
function block(text: string, from: RegExp): string {
  const at = from.exec(text);
  if (!at) throw new Error(`no ${from}`);
  const open = text.indexOf('{', at.index + at[0].length - 1);
  return text.slice(open + 1, skipBalanced(text, open) - 1);
}

describe('the Bicep turns App Service Authentication on whenever easyauth is chosen', () => {
  it('main.bicep calls the easyauth module, enabled exactly when authMode is easyauth', () => {
    const main = read('infra/main.bicep');
    const call = block(main, /^module \w+ 'modules\/easyauth\.bicep' = \{/m);
    const passed = Object.fromEntries(objectEntries(block(call, /\bparams:\s*\{/)));
    expect(passed.enabled).toBe("authMode == 'easyauth'");
    expect(passed.siteName).toBe('functionApp.outputs.name');
    expect(passed.openIdIssuer).toBe('authIssuer');
    // The platform sets WEBSITE_AUTH_ENABLED itself: an app setting of that name would fake the check.
    expect(bicepAppSettings(readFileSync(path('infra/main.bicep'), 'utf8')).map(([k]) => k)).not.toContain(
      'WEBSITE_AUTH_ENABLED',
    );
    expect(varBody(main, 'appSettings')).not.toContain('WEBSITE_AUTH');
  });

  it('authsettingsV2 requires authentication, answers 401, and excludes only the anonymous routes', () => {
    expect(existsSync(path('infra/modules/easyauth.bicep'))).toBe(true);
    const module = read('infra/modules/easyauth.bicep');
    expect(params(module).get('enabled')).toEqual({ type: 'bool' });
    expect(module).toMatch(/^resource \w+ 'Microsoft\.Web\/sites\/config@[\d-]+' = if \(enabled\) \{/m);
    const resource = block(module, /^resource \w+ 'Microsoft\.Web\/sites\/config@/m);
    expect(resource).toMatch(/\bname: 'authsettingsV2'/);
    expect(block(resource, /\bplatform:\s*\{/)).toMatch(/\benabled: true\b/);
    const validation = block(resource, /\bglobalValidation:\s*\{/);
    expect(validation).toMatch(/\brequireAuthentication: true\b/);
    expect(validation).toMatch(/\bunauthenticatedClientAction: 'Return401'/);
    expect(validation).toMatch(/\bexcludedPaths: excludedPaths\b/);
    const excluded = arrayStrings(varBody(module, 'excludedPaths'));
    // Exactly the routes that take no caller: health, the OpenAPI document and Graph's notifications (API.md).
    const anonymous = definitions
      .filter((d) => d.kind === 'http' && (d.name === 'health' || d.name === 'openApi'))
      .map((d) => `/api/${d.kind === 'http' ? d.route : ''}`);
    expect(anonymous).toHaveLength(2);
    expect(excluded.sort()).toEqual(
      [...anonymous, '/api/integrations/notifications', '/api/integrations/notifications/lifecycle'].sort(),
    );
    expect(block(resource, /\bazureActiveDirectory:\s*\{/)).toMatch(/\benabled: true\b/);
  });
});
