import { z } from 'zod';
import { errorCatalog, type ErrorCode } from '../errors.js';
import { integrationTable, type integrationView } from '../integrations/model.js';
import { eventTable, type eventView } from '../items/event.js';
import { instantResponse, type Equal } from '../items/field-table.js';
import { messageTable, type messageView } from '../items/message.js';
import { providerSchema } from '../providers.js';

// The response shapes of the HTTP API (API.md) as zod schemas: the OpenAPI document is generated
// from them, and test/openapi checks that real answers validate against it. The integration, event
// and message schemas are built from their field tables, and `ResponsesMatchViews` makes tsc check
// that the view functions return exactly their types. Objects are strict
// (`additionalProperties: false`), so a field leaking into an answer fails validation.

const instant = instantResponse;

export const integrationResponse = z
  .strictObject(integrationTable.responseShape())
  .meta({ description: 'A connected Microsoft account for one provider.' });

// Item responses come from the field tables (items/event.ts, items/message.ts): a field added
// there is in the view and in this schema at once. The checks below fail tsc if either drifts.
const { id: eventId, ...eventShape } = eventTable.responseShape();
export const eventResponse = z.strictObject({
  id: eventId,
  integration_id: z.uuid(),
  provider: providerSchema,
  ...eventShape,
});

const { id: messageId, ...messageShape } = messageTable.responseShape();
export const messageResponse = z.strictObject({
  id: messageId,
  integration_id: z.uuid(),
  provider: providerSchema,
  ...messageShape,
});

type Assert<T extends true> = T;
/** Compile-time: each response schema is exactly the type its view function returns. */
export type ResponsesMatchViews = [
  Assert<Equal<z.infer<typeof eventResponse>, ReturnType<typeof eventView>>>,
  Assert<Equal<z.infer<typeof messageResponse>, ReturnType<typeof messageView>>>,
  Assert<Equal<z.infer<typeof integrationResponse>, ReturnType<typeof integrationView>>>,
];

const page = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    results: z.array(item),
    next_cursor: z
      .string()
      .nullable()
      .meta({ description: 'Opaque; pass as `cursor` for the next page. Null on the last page.' }),
  });

export const integrationList = page(integrationResponse);
export const eventList = page(eventResponse);
export const messageList = page(messageResponse);

export const freeBusyResponse = z
  .strictObject({
    busy: z.array(
      z.strictObject({
        start: instant,
        end: instant,
        status: z.enum(['busy', 'tentative', 'oof', 'workingElsewhere']),
      }),
    ),
    working_hours: z
      .strictObject({
        days: z.array(z.string()).meta({ description: 'Lower-case day names, e.g. `monday`.' }),
        start: z.string().meta({ description: '`HH:MM`, in `time_zone`.' }),
        end: z.string().meta({ description: '`HH:MM`, in `time_zone`.' }),
        time_zone: z.string().meta({ description: 'IANA name.' }),
      })
      .nullable()
      .meta({ description: 'From the mailbox settings at the last full sync; null when unknown.' }),
  })
  .meta({
    description:
      'Busy time in the window, merged across calendars and ordered; overlaps keep the strongest status ' +
      '(oof > busy > workingElsewhere > tentative). Intervals are cut to the window.',
  });

export const problemResponse = z
  .strictObject({
    type: z.url(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    code: z.enum(Object.keys(errorCatalog) as [ErrorCode, ...ErrorCode[]]),
    errors: z
      .array(z.strictObject({ field: z.string(), message: z.string() }))
      .min(1)
      .optional(),
    required_scopes: z.array(z.string()).min(1).optional().meta({
      description: '`insufficient_scope`: the Graph scopes needed; connect again with `access: "read_write"`.',
    }),
    request_id: z
      .string()
      .meta({ description: 'Also in the `x-request-id` header; quote it when reporting a problem.' }),
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

export const openApiResponse = z.looseObject({
  openapi: z.string().regex(/^3\.1\.\d+$/),
  paths: z.record(z.string(), z.unknown()),
});
