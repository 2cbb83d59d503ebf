import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { definitions } from '../../functions/all.js';
import { settingNames, settingsSchema } from '../../shared/config.js';
import { literal, params } from './bicep.js';
import {
  bicepAppSettings,
  EXAMPLE_DEVELOPMENT_VALUES,
  MODULE_SET,
  settingsProblems,
  type SettingSources,
} from './settings-check.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const real: SettingSources = {
  schema: settingNames,
  exampleJson: read('local.settings.json.example'),
  mainBicep: read('infra/main.bicep'),
};

describe('every setting is in the schema, local.settings.json.example and the Bicep app settings', () => {
  it('the three places agree (allow-listed exceptions only)', () => {
    expect(settingsProblems(real)).toEqual([]);
    expect(bicepAppSettings(real.mainBicep).length).toBeGreaterThanOrEqual(settingNames.length);
  });

  it('a deliberately broken copy is caught: a setting missing from one place, or one too many', () => {
    const dropLine = (text: string, pattern: RegExp) => {
      const lines = text.split('\n');
      const kept = lines.filter((l) => !pattern.test(l));
      expect(kept.length, String(pattern)).toBe(lines.length - 1);
      return kept.join('\n');
    };
    const noPageSizeInBicep = { ...real, mainBicep: dropLine(real.mainBicep, /^\s*GRAPH_PAGE_SIZE:/) };
    expect(settingsProblems(noPageSizeInBicep)).toEqual([
      'GRAPH_PAGE_SIZE is in the settings schema but not in the Bicep app settings',
    ]);

    const noLogLevelLocally = {
      ...real,
      exampleJson: dropLine(real.exampleJson, /"LOG_LEVEL"/).replace(/,(\s*})/, '$1'),
    };
    expect(settingsProblems(noLogLevelLocally)).toEqual([
      'LOG_LEVEL is in the settings schema but not in local.settings.json.example',
    ]);

    const newInCode = { ...real, schema: [...settingNames, 'SYNC_NEW_KNOB'] };
    expect(settingsProblems(newInCode)).toEqual([
      'SYNC_NEW_KNOB is in the settings schema but not in local.settings.json.example',
      'SYNC_NEW_KNOB is in the settings schema but not in the Bicep app settings',
    ]);

    const extraInBicep = {
      ...real,
      mainBicep: real.mainBicep.replace('  LOG_LEVEL: logLevel\n', '  LOG_LEVEL: logLevel\n  LOG_LEVLE: logLevel\n'),
    };
    expect(settingsProblems(extraInBicep)).toEqual([
      'LOG_LEVLE is in the Bicep app settings but not in the settings schema',
    ]);

    const devKeyInAzure = {
      ...real,
      mainBicep: real.mainBicep.replace(
        '  LOG_LEVEL: logLevel\n',
        "  LOG_LEVEL: logLevel\n  TOKEN_ENCRYPTION_KEY: 'x'\n",
      ),
    };
    expect(settingsProblems(devKeyInAzure)).toEqual([
      'TOKEN_ENCRYPTION_KEY is local-only and must not be set in the Bicep app settings',
    ]);

    const devSwitchInAzure = {
      ...real,
      mainBicep: real.mainBicep.replace(
        '  LOG_LEVEL: logLevel\n',
        "  LOG_LEVEL: logLevel\n  ALLOW_DEV_ENDPOINTS: 'true'\n",
      ),
    };
    expect(settingsProblems(devSwitchInAzure)).toEqual([
      'ALLOW_DEV_ENDPOINTS is local-only and must not be set in the Bicep app settings',
    ]);
  });

  it('WEBHOOK_BASE_URL is added by the Function App module from the site host name (https), nowhere else', () => {
    for (const [name, { module }] of Object.entries(MODULE_SET)) {
      expect(settingNames).toContain(name);
      expect(bicepAppSettings(real.mainBicep).map(([key]) => key)).not.toContain(name);
      expect(read(module)).toContain(`${name}: 'https://\${site.properties.defaultHostName}'`);
    }
    expect(read('infra/main.bicep')).toMatch(/realtimeEnabled: realtimeEnabled/);
  });

  it('the development switch appears nowhere in the deployment: no Bicep, parameter, hook or azure.yaml names it', () => {
    const files = (dir: string): string[] =>
      readdirSync(new URL(`../../${dir}/`, import.meta.url), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(`${dir}/${e.name}`) : [`${dir}/${e.name}`],
      );
    const deployed = [...files('infra'), 'azure.yaml'];
    expect(deployed.length).toBeGreaterThanOrEqual(10);
    for (const path of deployed) expect(read(path), path).not.toMatch(/ALLOW_DEV_ENDPOINTS/i);
    expect(bicepAppSettings(real.mainBicep).map(([key]) => key)).not.toContain('ALLOW_DEV_ENDPOINTS');
    expect(settingNames).toContain('ALLOW_DEV_ENDPOINTS');
  });

  it('Bicep parameter defaults and the example’s values are the code’s defaults', () => {
    const declared = params(real.mainBicep);
    const shape = settingsSchema.shape as Record<
      string,
      { safeParse(v: unknown): { success: boolean; data?: unknown } }
    >;
    let compared = 0;
    for (const [key, value] of bicepAppSettings(real.mainBicep)) {
      const param = /^(?:string\((\w+)\)|(\w+))$/.exec(value);
      const defaultText = param ? declared.get(param[1] ?? param[2]!)?.default : undefined;
      if (!(key in shape) || defaultText === undefined) continue;
      const fromBicep = shape[key]!.safeParse(literal(defaultText));
      expect(fromBicep.success, `${key} default ${defaultText}`).toBe(true);
      expect(fromBicep.data, key).toEqual(shape[key]!.safeParse(undefined).data);
      compared += 1;
    }
    expect(compared).toBeGreaterThanOrEqual(15);
    const example = (JSON.parse(real.exampleJson) as { Values: Record<string, string> }).Values;
    // Empty values are the blanks an operator fills (client id, issuer…); the rest must be valid and,
    // where the code has a default, show that default.
    for (const name of settingNames.filter((n) => example[n] !== '')) {
      const parsed = shape[name]!.safeParse(example[name]);
      expect(parsed.success, name).toBe(true);
      if (name in EXAMPLE_DEVELOPMENT_VALUES) {
        expect(example[name], name).toBe(EXAMPLE_DEVELOPMENT_VALUES[name]);
        continue;
      }
      const fallback = shape[name]!.safeParse(undefined);
      if (fallback.success && fallback.data !== undefined) expect(parsed.data, name).toEqual(fallback.data);
    }
  });

  it('secrets come from Key Vault, storage through the identity, telemetry from the deployment', () => {
    const settings = Object.fromEntries(bicepAppSettings(real.mainBicep));
    expect(settings.MICROSOFT_CLIENT_SECRET).toMatch(
      /^'@Microsoft\.KeyVault\(SecretUri=\$\{keyVault\.outputs\.uri\}secrets\/\$\{\w+\}\/\)'$/,
    );
    expect(settings.KEY_VAULT_URL).toBe('keyVault.outputs.uri');
    expect(settings.AzureWebJobsStorage__accountName).toBe('storage.outputs.name');
    expect(settings.AzureWebJobsStorage__credential).toBe("'managedidentity'");
    expect(settings.AzureWebJobsStorage__clientId).toBe(settings.AZURE_CLIENT_ID);
    expect(settings.APPLICATIONINSIGHTS_CONNECTION_STRING).toBe('monitoring.outputs.connectionString');
    // No literal secret anywhere in the settings: values are parameters, outputs or fixed words.
    for (const [key, value] of Object.entries(settings))
      expect(value, key).not.toMatch(/AccountKey=|InstrumentationKey=|listKeys\(/);
  });

  it('trigger bindings resolve to settings that Azure has: %SETTING% schedules and storage connections', () => {
    const keys = new Set(bicepAppSettings(real.mainBicep).map(([key]) => key));
    for (const def of definitions) {
      if (def.kind === 'timer')
        for (const [, name] of def.schedule.matchAll(/%(\w+)%/g)) expect(keys, `${def.name} ${name}`).toContain(name);
      if (def.kind === 'queue') expect(keys, def.name).toContain(`${def.connection}__accountName`);
    }
  });
});
