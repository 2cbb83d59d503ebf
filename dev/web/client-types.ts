import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { openApiDocument } from '../../shared/openapi/document.js';

// The SPA's API types come from the OpenAPI document the app serves at /api/openapi.json, built here
// from shared/openapi without starting a host (the same function answers that route). Never edited by
// hand: `npm run web:client` (and every `npm start`) rewrites the file; a test fails when it is stale.

/** Where the generated types live, relative to the repository root. */
export const CLIENT_TYPES_PATH = join('web', 'src', 'api', 'schema.d.ts');

const HEADER =
  '// Generated from /api/openapi.json (shared/openapi) by dev/web/client-types.ts: do not edit.\n' +
  '// Regenerate: npm run web:client. test/web/client-types.test.ts fails when this file is stale.\n\n';

/** The TypeScript declarations openapi-typescript writes for a document (default: the app's own). */
export async function generateClientTypes(document: Record<string, unknown> = openApiDocument()): Promise<string> {
  const ast = await openapiTS(document as unknown as OpenAPI3, { alphabetize: false, exportType: false });
  return HEADER + astToString(ast);
}

/** Rewrites the generated file when it differs; returns whether it changed. */
export async function writeClientTypes(root: string): Promise<boolean> {
  const path = join(root, CLIENT_TYPES_PATH);
  const next = await generateClientTypes();
  const current = await readFile(path, 'utf8').catch(() => '');
  if (current === next) return false;
  await writeFile(path, next);
  return true;
}
