import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { OpenApiDocument } from './document-shape.js';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => void;

export interface CapturedResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

// The document is registered whole as one schema resource so that `#/components/schemas/…`
// references resolve inside it; these are its OpenAPI (not JSON Schema) keywords, which ajv's
// strict mode would otherwise refuse. Schemas themselves are compiled strictly.
const OPENAPI_KEYWORDS = [
  'openapi',
  'info',
  'jsonSchemaDialect',
  'servers',
  'security',
  'tags',
  'paths',
  'components',
  'webhooks',
  'externalDocs',
];
const DOC_ID = 'urn:integrato:openapi';
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/**
 * Checks real answers against the document: the status must be declared for that operation, the
 * media type must be one it lists, the body must validate (JSON Schema 2020-12, formats on), a
 * 204 has no body, and declared headers are present. Returns what is wrong (empty when valid).
 */
export function responseValidator(document: OpenApiDocument) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  ajv.addVocabulary(OPENAPI_KEYWORDS);
  ajv.addSchema(structuredClone(document), DOC_ID);

  return function validate(method: string, template: string, res: CapturedResponse): string[] {
    const path = `/${template}`;
    const op = document.paths?.[path]?.[method.toLowerCase()];
    if (!op) return [`${method} ${path} is not in the document`];
    const declared = op.responses?.[String(res.status)];
    if (!declared) return [`${method} ${path} answered ${res.status}, which the document does not declare`];
    const problems: string[] = [];
    for (const [name, header] of Object.entries(declared.headers ?? {})) {
      if (header.required && !res.headers.get(name)) problems.push(`header ${name} missing`);
    }
    if (!declared.content) {
      if (res.body !== undefined && res.body !== '') problems.push(`${res.status} should have no body`);
      return problems;
    }
    const mediaType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!declared.content[mediaType])
      return [...problems, `content-type ${mediaType || '(none)'} not declared for ${res.status}`];
    const ref = `${DOC_ID}#/${pointer('paths', path, method.toLowerCase(), 'responses', String(res.status), 'content', mediaType, 'schema')}`;
    const check = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
    if (!check(res.body)) {
      problems.push(
        ...(check.errors ?? []).map(
          (e) => `${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
        ),
      );
    }
    return problems;
  };
}
