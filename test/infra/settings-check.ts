import { objectEntries, varBody } from './bicep.js';

/**
 * Settings that are in the schema but deliberately not set in Azure. Each must be in the schema
 * and must NOT appear in the Bicep app settings.
 */
export const LOCAL_ONLY: Record<string, string> = {
  // A connection string carries the account key; in Azure shared-key access is off and storage
  // is reached with the identity (AzureWebJobsStorage__accountName).
  AzureWebJobsStorage: 'connection string: local Azurite only',
  // The development key; in Azure the key lives in Key Vault (KEY_VAULT_URL + TOKEN_KEY_SECRET_NAME).
  TOKEN_ENCRYPTION_KEY: 'development key only',
  // The development switch (shared/config-production.ts): the simulator, stand-ins, http://localhost.
  // The app refuses it in Azure too; the Bicep must never set it.
  ALLOW_DEV_ENDPOINTS: 'development switch only',
};

/**
 * Settings in the schema that a Bicep module adds to the app settings (not main.bicep's list),
 * because only that module knows the value. Each must be in the schema and set in that module.
 */
export const MODULE_SET: Record<string, { module: string; why: string }> = {
  WEBHOOK_BASE_URL: { module: 'infra/modules/function-app.bicep', why: "the site's default host name" },
};

/** Local-only settings whose example value is the development one, not the code's default. */
export const EXAMPLE_DEVELOPMENT_VALUES: Record<string, string> = {
  ALLOW_DEV_ENDPOINTS: 'true',
};

/**
 * Settings the platform or an SDK reads, not the app's settings schema. Each must be absent from
 * the schema (else it belongs to the code's list) and present where it is listed.
 */
export const PLATFORM_BICEP: Record<string, string> = {
  // The Functions host's identity-based connection to its storage with a user-assigned identity.
  AzureWebJobsStorage__credential: 'host: identity-based storage connection',
  AzureWebJobsStorage__clientId: 'host: which user-assigned identity',
  // @azure/identity's DefaultAzureCredential: which user-assigned identity the code uses.
  AZURE_CLIENT_ID: 'SDK: DefaultAzureCredential',
  // The Functions host's request body limit (bytes); dev/host honours it too.
  FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: 'host: request body size limit',
};
export const PLATFORM_LOCAL: Record<string, string> = {
  // Core Tools needs it locally; on Flex Consumption the runtime is functionAppConfig.runtime and
  // the setting is deprecated, so it is not in Bicep.
  FUNCTIONS_WORKER_RUNTIME: 'Core Tools: worker runtime',
};

export interface SettingSources {
  /** shared/config.ts `settingNames`. */
  schema: readonly string[];
  /** local.settings.json.example's text. */
  exampleJson: string;
  /** infra/main.bicep's text (its `var appSettings = {…}`). */
  mainBicep: string;
}

export function bicepAppSettings(mainBicep: string): [string, string][] {
  return objectEntries(varBody(mainBicep, 'appSettings'));
}

/** Every disagreement between the three places, one sentence each; empty when they agree. */
export function settingsProblems({ schema, exampleJson, mainBicep }: SettingSources): string[] {
  const problems: string[] = [];
  const inSchema = new Set(schema);
  const example = Object.keys((JSON.parse(exampleJson) as { Values?: Record<string, string> }).Values ?? {});
  const bicepEntries = bicepAppSettings(mainBicep).map(([key]) => key);
  const inExample = new Set(example);
  const inBicep = new Set(bicepEntries);

  for (const name of schema) {
    if (!inExample.has(name)) problems.push(`${name} is in the settings schema but not in local.settings.json.example`);
    if (!inBicep.has(name) && !(name in LOCAL_ONLY) && !(name in MODULE_SET))
      problems.push(`${name} is in the settings schema but not in the Bicep app settings`);
  }
  for (const name of example) {
    if (!inSchema.has(name) && !(name in PLATFORM_LOCAL))
      problems.push(`${name} is in local.settings.json.example but not in the settings schema`);
  }
  const seen = new Set<string>();
  for (const name of bicepEntries) {
    if (seen.has(name)) problems.push(`${name} is set twice in the Bicep app settings`);
    seen.add(name);
    if (!inSchema.has(name) && !(name in PLATFORM_BICEP))
      problems.push(`${name} is in the Bicep app settings but not in the settings schema`);
  }
  // The allow-lists stay honest: an entry that no longer applies is an error too.
  for (const name of Object.keys(LOCAL_ONLY)) {
    if (!inSchema.has(name)) problems.push(`${name} is allowed as local-only but is not in the settings schema`);
    if (inBicep.has(name)) problems.push(`${name} is local-only and must not be set in the Bicep app settings`);
  }
  for (const [list, where, present] of [
    [PLATFORM_BICEP, 'Bicep app settings', inBicep],
    [PLATFORM_LOCAL, 'local.settings.json.example', inExample],
  ] as const) {
    for (const name of Object.keys(list)) {
      if (inSchema.has(name)) problems.push(`${name} is listed as a platform setting but is in the settings schema`);
      if (!present.has(name)) problems.push(`${name} is listed as a platform setting of the ${where} but is not there`);
    }
  }
  return problems;
}
