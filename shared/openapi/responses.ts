import { z } from 'zod';
import { errorCatalog, type ErrorCode } from '../errors.js';
import { integrationStatusSchema, lastSyncSchema } from '../integrations/model.js';
import { providerSchema, syncTypeSchema } from '../providers.js';

// The response shapes of the HTTP API (API.md) as zod schemas: the OpenAPI document is generated
// from them, and test/openapi checks that real answers validate and that the view functions
// (integrationView, eventView, messageView) return exactly these fields. Objects are strict
// (`additionalProperties: false`), so a field leaking into an answer fails validation.

const instant = z.iso.datetime().meta({ description: 'ISO 8601 instant in UTC (`Z`).' });
const person = z.strictObject({ name: z.string(), email: z.string() });

export const integrationResponse = z
  .strictObject({
    id: z.uuid(),
    provider: providerSchema,
    status: integrationStatusSchema.meta({ description: '`reauth_required`: Microsoft no longer accepts the connection; run the connect flow again.' }),
    account: z.strictObject({ email: z.string(), display_name: z.string(), tenant_id: z.string() }),
    scopes: z.array(z.string()),
    created_at: instant,
    last_sync: z
      .strictObject({
        status: lastSyncSchema.shape.status,
        sync_type: syncTypeSchema,
        started_at: instant.nullable(),
        finished_at: instant.nullable(),
        items_upserted: z.number().int().nonnegative(),
        items_deleted: z.number().int().nonnegative(),
        error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
      })
      .nullable(),
    next_sync_at: instant,
    status_reason: z
      .strictObject({ code: z.string(), message: z.string() })
      .nullable()
      .meta({ description: 'Why the integration left `active` (e.g. the AADSTS code of a refused refresh token); null while active.' }),
  })
  .meta({ description: 'A connected Microsoft account for one provider.' });

const graphValues = (values: string) => z.string().meta({ description: `As Microsoft Graph reports it: ${values}.` });

export const eventResponse = z.strictObject({
  id: z.string(),
  integration_id: z.uuid(),
  provider: providerSchema,
  external_id: z.string().meta({ description: 'The Microsoft Graph id.' }),
  title: z.string(),
  description: z.string().meta({ description: 'Plain text; cut at 16,000 characters (`description_truncated`).' }),
  description_truncated: z.boolean(),
  start: instant,
  end: instant,
  is_all_day: z.boolean(),
  time_zone: z.string(),
  location: z.string(),
  attendees: z.array(
    z.strictObject({
      name: z.string(),
      email: z.string(),
      type: graphValues('required, optional, resource'),
      response: graphValues('accepted, declined, tentativelyAccepted, none, notResponded, organizer'),
    }),
  ),
  attendees_total: z.number().int().nonnegative(),
  organizer: person.nullable(),
  is_cancelled: z.boolean(),
  type: graphValues('singleInstance, occurrence, exception, seriesMaster'),
  series_master_id: z.string().nullable(),
  web_link: z.string(),
  created_at: instant,
  modified_at: instant,
});

export const messageResponse = z.strictObject({
  id: z.string(),
  integration_id: z.uuid(),
  provider: providerSchema,
  external_id: z.string().meta({ description: 'The Microsoft Graph id.' }),
  subject: z.string(),
  body_preview: z.string(),
  from: person.nullable(),
  to: z.array(person),
  cc: z.array(person),
  received_at: instant,
  is_read: z.boolean(),
  importance: z.enum(['low', 'normal', 'high']),
  has_attachments: z.boolean(),
  conversation_id: z.string(),
  web_link: z.string(),
});

const page = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    results: z.array(item),
    next_cursor: z.string().nullable().meta({ description: 'Opaque; pass as `cursor` for the next page. Null on the last page.' }),
  });

export const integrationList = page(integrationResponse);
export const eventList = page(eventResponse);
export const messageList = page(messageResponse);

export const problemResponse = z
  .strictObject({
    type: z.url(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    code: z.enum(Object.keys(errorCatalog) as [ErrorCode, ...ErrorCode[]]),
    errors: z.array(z.strictObject({ field: z.string(), message: z.string() })).min(1).optional(),
    request_id: z.string().meta({ description: 'Also in the `x-request-id` header; quote it when reporting a problem.' }),
  })
  .meta({ description: 'RFC 9457 problem details. `code` is stable; `errors` names each invalid field.' });

const check = z.enum(['ok', 'unavailable']);
export const healthResponse = z.strictObject({ status: check, checks: z.strictObject({ storage: check, key: check }) });

export const oauthStartResponse = z.strictObject({
  authorization_url: z.url().meta({ description: 'Send the user here (Microsoft sign-in and consent).' }),
  state: z.string(),
  provider: providerSchema,
  expires_at: instant,
});

export const openApiResponse = z.looseObject({ openapi: z.string().regex(/^3\.1\.\d+$/), paths: z.record(z.string(), z.unknown()) });
