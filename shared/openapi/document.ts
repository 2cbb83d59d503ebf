import { z } from 'zod';
import { components, operations, type OperationSpec, type ResponseSpec } from './operations.js';

/** The API contract's version (API.md), not the app's build: the document is the same for both. */
export const API_VERSION = '1.0.0';

type Json = Record<string, unknown>;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

// zod writes `$schema` on every schema and `$id` on registered ones; inside an OpenAPI 3.1
// document the dialect is the document's (`jsonSchemaDialect`), and an `$id` with a fragment is
// not allowed by JSON Schema 2020-12, so both go.
function bare(schema: Json): Json {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function componentSchemas(): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(components)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, bare(schema as Json)]));
}

/** Query parameters from the same zod object the function parses with (its input side: strings). */
function queryParameters(op: OperationSpec): Json[] {
  if (!op.query) return [];
  const schema = z.toJSONSchema(op.query, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Json;
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name),
    ...(op.queryDocs?.[name] ? { description: op.queryDocs[name] } : {}),
    schema: property,
  }));
}

function headerParameters(op: OperationSpec): Json[] {
  return Object.entries(op.requestHeaders ?? {}).map(([name, description]) => ({
    name,
    in: 'header',
    required: false,
    description,
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  }));
}

function pathParameters(route: string): Json[] {
  return [...route.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
}

function response(status: number, spec: ResponseSpec): Json {
  const headers = Object.fromEntries(
    Object.entries(spec.headers ?? {}).map(([name, description]) => [
      name,
      { description, required: true, schema: { type: 'string' } },
    ]),
  );
  // A problem answer is pinned to its status and to the codes that status carries.
  const content = spec.body
    ? { 'application/json': { schema: ref(spec.body) } }
    : spec.text
      ? { 'text/plain': { schema: { type: 'string' } } }
      : spec.problem
        ? {
            'application/problem+json': {
              schema: {
                allOf: [
                  ref('Problem'),
                  { type: 'object', properties: { status: { const: status }, code: { enum: spec.problem } } },
                ],
              },
            },
          }
        : undefined;
  const codes = spec.problem ? ` Codes: ${spec.problem.map((c) => `\`${c}\``).join(', ')}.` : '';
  return {
    description: spec.description + codes,
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(content ? { content } : {}),
  };
}

function operation(op: OperationSpec): Json {
  const parameters = [...pathParameters(op.route), ...queryParameters(op), ...headerParameters(op)];
  return {
    operationId: op.operationId ?? op.fn,
    // The function serving it (functions/all.ts), so a reader and the route test can match them.
    'x-function': op.fn,
    summary: op.summary,
    description: op.description,
    tags: [op.tag],
    ...(op.anonymous ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(op.body) } } } } : {}),
    responses: Object.fromEntries(
      Object.entries(op.responses).map(([status, spec]) => [status, response(Number(status), spec)]),
    ),
  };
}

// Alphabetical, as the linters prefer; every operation's tag is one of these (OperationSpec['tag']).
const TAGS: Record<OperationSpec['tag'], string> = {
  Health: 'Liveness of the app and its dependencies, for probes.',
  Integrations: 'The caller’s connected Microsoft accounts: status, sync progress, sync on demand, disconnect.',
  Meta: 'This document.',
  Writes: 'Changes made at Microsoft on the caller’s behalf (read_write access), written through to the store.',
  Notifications: 'Microsoft Graph change notifications (called by Microsoft, anonymously; not for the SPA).',
  OAuth: 'Connecting a Microsoft account: authorization code with PKCE, started and completed by the SPA.',
  Queries: 'Synced calendar events and email messages, filtered, searched and paged with signed cursors.',
};

function build(): Json {
  const paths: Record<string, Json> = {};
  for (const op of operations) (paths[`/${op.route}`] ??= {})[op.method] = operation(op);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Integrato Microsoft 365 connector',
      version: API_VERSION,
      description:
        'Connects users’ Microsoft Calendar and Outlook accounts and serves what was synced. JSON in and out, snake_case; ' +
        'errors are RFC 9457 problem+json with a stable `code`.',
      contact: { name: 'Integrato connector team' },
      // Not open source: an SPDX reference to the owner's own terms (OpenAPI 3.1 `identifier`).
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/api' }],
    security: [{ bearer: [] }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'AUTH_MODE=jwt: a token of AUTH_ISSUER for AUTH_AUDIENCE. With AUTH_MODE=easyauth the platform authenticates ' +
            'instead and passes `x-ms-client-principal`; that header is never accepted from clients.',
        },
      },
      schemas: componentSchemas(),
    },
  };
}

let built: Json | undefined;

/** The OpenAPI 3.1 document of the whole HTTP API, built once; each caller gets its own copy. */
export function openApiDocument(): Json {
  built ??= build();
  return structuredClone(built);
}
