import { validate } from '@readme/openapi-parser';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { definitions } from '../../functions/all.js';
import type { eventView } from '../../shared/items/event.js';
import type { messageView } from '../../shared/items/message.js';
import type { integrationView } from '../../shared/integrations/model.js';
import { openApiDocument } from '../../shared/openapi/document.js';
import type { eventResponse, integrationResponse, messageResponse } from '../../shared/openapi/responses.js';
import type { OpenApiDocument } from './document-shape.js';
import { routeCoverage } from './route-coverage.js';

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 (schema and semantic rules of @readme/openapi-parser)', async () => {
    const document = openApiDocument();
    expect(document.openapi).toBe('3.1.0');
    // validate() dereferences in place: it gets its own copy.
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors, 'errors').toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.specification).toBe('OpenAPI');
  });

  it('documents every HTTP function of functions/all.ts, each method, and nothing else', () => {
    const http = definitions.filter((d) => d.kind === 'http');
    expect(http.length).toBeGreaterThanOrEqual(9);
    expect(routeCoverage(definitions, openApiDocument())).toEqual([]);
  });

  it('the coverage check fails for a route left out or a route that does not exist (broken copies)', () => {
    const missing = openApiDocument() as OpenApiDocument;
    delete missing.paths!['/integrations/{id}']!.delete;
    expect(routeCoverage(definitions, missing)).toEqual([
      'delete /integrations/{id} (function integration) is not in the document',
    ]);
    const extra = openApiDocument() as OpenApiDocument;
    extra.paths!['/integrations/{id}/archive'] = { post: { 'x-function': 'archive', responses: {} } };
    expect(routeCoverage(definitions, extra)).toEqual([
      'post /integrations/{id}/archive is documented but no function serves it',
    ]);
    const moved = definitions.map((d) =>
      d.kind === 'http' && d.name === 'integrationSync' ? { ...d, route: 'integrations/{id}/resync' } : d,
    );
    expect(routeCoverage(moved, openApiDocument())).toEqual([
      'post /integrations/{id}/resync (function integrationSync) is not in the document',
      'post /integrations/{id}/sync is documented but no function serves it',
    ]);
  });

  it('every authenticated operation declares 401; anonymous ones are exactly health, the document and Graph notifications', () => {
    const document = openApiDocument() as OpenApiDocument;
    const anonymous: string[] = [];
    for (const [path, item] of Object.entries(document.paths!)) {
      for (const [method, op] of Object.entries(item)) {
        if (Array.isArray(op.security) && op.security.length === 0) anonymous.push(`${method} ${path}`);
        else expect(op.responses!['401'], `${method} ${path}`).toBeDefined();
      }
    }
    expect(anonymous.sort()).toEqual([
      'get /health',
      'get /openapi.json',
      'post /integrations/notifications',
      'post /integrations/notifications/lifecycle',
    ]);
  });

  it('request bodies and query parameters come from the zod schemas the functions parse with', () => {
    const document = openApiDocument() as OpenApiDocument;
    const schemas = document.components!.schemas!;
    expect(schemas.SyncRequest).toEqual({
      type: 'object',
      properties: { sync_type: { type: 'string', enum: ['full', 'calendar', 'email'] } },
      required: ['sync_type'],
      additionalProperties: false,
    });
    expect(schemas.OAuthInitiateRequest!.required).toEqual(['provider']);
    const names = (path: string) => document.paths![path]!.get!.parameters!.map((p: { name: string }) => p.name);
    expect(names('/integrations/email-messages')).toEqual([
      'provider',
      'integration_id',
      'is_read',
      'search',
      'importance',
      'received_after',
      'received_before',
      'from',
      'folder',
      'has_attachments',
      'conversation_id',
      'limit',
      'cursor',
    ]);
    expect(names('/integrations/calendar-events')).toEqual([
      'provider',
      'start_date',
      'end_date',
      'integration_id',
      'search',
      'attendee',
      'organizer',
      'calendar_id',
      'show_as',
      'is_cancelled',
      'type',
      'is_online_meeting',
      'limit',
      'cursor',
    ]);
    for (const path of ['/integrations/email-messages', '/integrations/calendar-events'])
      for (const p of document.paths![path]!.get!.parameters! as { name: string; description?: string }[])
        expect(p.description, `${path} ${p.name}`).toBeTruthy();
    expect(names('/integrations')).toEqual(['provider', 'limit', 'cursor']);
    const list = document.paths!['/integrations']!.get!.parameters!;
    expect(list.find((p: { name: string }) => p.name === 'provider')!.schema!.enum).toEqual([
      'microsoft_calendar',
      'microsoft_outlook',
    ]);
    expect(list.every((p: { required?: boolean }) => !p.required)).toBe(true);
  });

  it('the response schemas have exactly the fields the view functions return', () => {
    // Compile-time checks (npm test type-checks first): a field added to or dropped from a view
    // without its schema fails tsc here, before any response is validated.
    expectTypeOf<ReturnType<typeof integrationView>>().toEqualTypeOf<z.infer<typeof integrationResponse>>();
    expectTypeOf<ReturnType<typeof eventView>>().toEqualTypeOf<z.infer<typeof eventResponse>>();
    expectTypeOf<ReturnType<typeof messageView>>().toEqualTypeOf<z.infer<typeof messageResponse>>();
    // The views always write every field (null rather than absent): each one is required.
    const schemas = (openApiDocument() as OpenApiDocument).components!.schemas!;
    for (const name of ['Integration', 'CalendarEvent', 'EmailMessage', 'OAuthStart', 'Health']) {
      expect(schemas[name]!.required, name).toEqual(Object.keys(schemas[name]!.properties!));
    }
  });
});
