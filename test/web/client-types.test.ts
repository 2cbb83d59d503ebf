import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLIENT_TYPES_PATH, generateClientTypes } from '../../dev/web/client-types.js';
import { openApiDocument } from '../../shared/openapi/document.js';

// The SPA's typed client is generated from the OpenAPI document, never written by hand: the committed
// file must be exactly what the generator writes for today's document.

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('the SPA’s generated API types', () => {
  it('are up to date with /api/openapi.json (run `npm run web:client` when this fails)', async () => {
    const committed = await readFile(join(root, CLIENT_TYPES_PATH), 'utf8');
    expect(committed === (await generateClientTypes()), 'web/src/api/schema.d.ts is stale').toBe(true);
  });

  it('follow the document: an operation added to it appears in the generated types', async () => {
    const document = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
    const today = await generateClientTypes(document);
    document.paths['/integrations/{id}/archive'] = {
      post: { operationId: 'archiveIntegration', responses: { 204: { description: 'Archived.' } } },
    };
    const changed = await generateClientTypes(document);
    expect(today).not.toContain('archiveIntegration');
    expect(changed).toContain('"/integrations/{id}/archive"');
    expect(changed).toContain('archiveIntegration');
  });
});
