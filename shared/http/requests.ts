import { z } from 'zod';
import { accessSchema, providerSchema, syncTypeSchema } from '../providers.js';
import { cursorParam, limitParam, strictQuery } from '../query/params.js';

// The request bodies and query strings of the integration endpoints, parsed at the HTTP edge by the
// function files and documented from these very schemas by the OpenAPI builder (openapi/operations.ts).
// The two query endpoints keep theirs next to their domain (query/event-params.ts, message-params.ts).

/** POST /api/integrations/oauth/initiate */
export const initiateRequestSchema = z
  .strictObject({
    provider: providerSchema,
    redirect_uri: z.string().max(2048).optional(),
    login_hint: z.email().max(320).optional(),
    access: accessSchema.optional().meta({ description: '`read` (default) or `read_write` (writes).' }),
    shared_calendars: z
      .boolean()
      .optional()
      .meta({ description: '`microsoft_calendar` only: also the calendars other people share with the user.' }),
  })
  .superRefine((body, ctx) => {
    if (body.shared_calendars !== undefined && body.provider !== 'microsoft_calendar') {
      ctx.addIssue({ code: 'custom', path: ['shared_calendars'], message: 'only for microsoft_calendar' });
    }
  });
export type InitiateRequest = z.infer<typeof initiateRequestSchema>;

const state = z.string().min(1).max(512);
// Authorization codes are printable ASCII; anything else is not a code Microsoft issued (and MSAL
// could not even put it in a form body).
const code = z
  .string()
  .min(1)
  .max(8192)
  .regex(/^[\x21-\x7e]+$/, 'is not an authorization code');
// OAuth error codes (RFC 6749 §4.1.2.1) are lowercase words joined by underscores; only such a
// code is ever repeated back, never free text from the redirect.
const error = z.string().regex(/^[a-z_]{1,64}$/, 'is not an OAuth error code');

/** POST /api/integrations/oauth/callback: the code Microsoft returned, or the error it returned instead. */
export const callbackRequestSchema = z.union([
  z.strictObject({ provider: providerSchema, state, code }),
  z.strictObject({ provider: providerSchema, state, error, error_description: z.string().max(4096).optional() }),
]);
export type CallbackRequest = z.infer<typeof callbackRequestSchema>;

/** POST /api/integrations/{id}/sync */
export const syncRequestSchema = z.strictObject({ sync_type: syncTypeSchema });
export type SyncRequest = z.infer<typeof syncRequestSchema>;

/** GET /api/integrations */
export const integrationsQuerySchema = strictQuery({
  provider: providerSchema.optional(),
  limit: limitParam,
  cursor: cursorParam.optional(),
});
export type IntegrationsQuery = z.infer<typeof integrationsQuerySchema>;

/** GET /api/health and GET /api/openapi.json take no parameters: any is a 400 naming it, as elsewhere. */
export const noQuerySchema = strictQuery({});
