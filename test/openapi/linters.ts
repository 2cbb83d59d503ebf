import { BaseResolver, createConfig, lintDocument, makeDocumentFromString } from '@redocly/openapi-core';
import spectralCore from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import spectralRulesets from '@stoplight/spectral-rulesets';

// The two linters a new user of the API runs on /api/openapi.json, in-process: the engines behind the
// `redocly lint` and `spectral lint` CLIs (@redocly/openapi-core, @stoplight/spectral-core), without
// the CLIs' own dependencies. Redocly's `recommended` rules; Spectral's `spectral:oas` ruleset as a
// `.spectral.yaml` of `extends: spectral:oas` has it. Each finding reads "severity rule: message at path".

const SEVERITY = ['error', 'warn', 'info', 'hint'];

export async function redoclyFindings(document: Record<string, unknown>): Promise<string[]> {
  const results = await lintDocument({
    document: makeDocumentFromString(JSON.stringify(document), 'openapi.json'),
    config: await createConfig({ extends: ['recommended'] }),
    externalRefResolver: new BaseResolver(),
  });
  return results.map((r) => `${r.severity} ${r.ruleId}: ${r.message} at ${r.location[0]?.pointer ?? ''}`);
}

export async function spectralFindings(document: Record<string, unknown>): Promise<string[]> {
  const spectral = new spectralCore.Spectral();
  type Ruleset = Parameters<typeof spectral.setRuleset>[0];
  spectral.setRuleset({ extends: [spectralRulesets.oas] } as unknown as Ruleset);
  const source = new spectralCore.Document(JSON.stringify(document, null, 2), spectralParsers.Json, 'openapi.json');
  const results = await spectral.run(source);
  return results.map((r) => `${SEVERITY[r.severity]} ${String(r.code)}: ${r.message} at ${r.path.join('.')}`);
}
