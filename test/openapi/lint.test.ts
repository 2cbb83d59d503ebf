import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../shared/openapi/document.js';
import type { OpenApiDocument } from './document-shape.js';
import { redoclyFindings, spectralFindings } from './linters.js';

// What a new user sees linting /api/openapi.json: no errors and no warnings from either linter.

describe('the OpenAPI document under the linters', () => {
  it('passes Redocly’s recommended rules and Spectral’s spectral:oas without a finding', async () => {
    const document = openApiDocument();
    expect(await redoclyFindings(document)).toEqual([]);
    expect(await spectralFindings(document)).toEqual([]);
  });

  it('the linters do find what they are for (a copy without descriptions, 4xx, contact and license)', async () => {
    const broken = openApiDocument() as OpenApiDocument & { info: Record<string, unknown>; tags: object[] };
    delete broken.info.contact;
    delete broken.info.license;
    broken.tags = broken.tags.map((t) => ({ name: (t as { name: string }).name }));
    const health = broken.paths!['/health']!.get!;
    delete health.description;
    delete health.responses!['400'];
    const redocly = await redoclyFindings(broken);
    const spectral = await spectralFindings(broken);
    expect(redocly).toContain(
      'warn operation-4xx-response: Operation must have at least one `4XX` response. at #/paths/~1health/get/responses',
    );
    expect(redocly.filter((f) => f.includes('tag-description'))).toHaveLength(broken.tags.length);
    expect(redocly.some((f) => f.startsWith('warn info-license:'))).toBe(true);
    expect(spectral).toEqual(
      expect.arrayContaining([
        'warn info-contact: Info object must have "contact" object. at info',
        'warn operation-description: Operation "description" must be present and non-empty string. at paths./health.get',
      ]),
    );
  });
});
