import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json, readJsonBody } from '../shared/http/input.js';
import { lazy } from '../shared/lazy.js';
import { useCases } from '../shared/root.js';

// Schemas load on the first request, not at every cold start's import (benchmark B5).
const requests = lazy(() => import('../shared/writes/mail/requests.js'));
const idempotency = lazy(() => import('../shared/writes/idempotency.js'));

/** POST /api/integrations/{id}/email-messages — sends a message (draft + send); 202. Idempotency-Key honoured. */
export const emailMessageSend: HttpFunction = {
  kind: 'http',
  name: 'emailMessageSend',
  route: 'integrations/{id}/email-messages',
  methods: ['POST'],
  handler: authenticatedEndpoint(async ({ request, caller, log }) => {
    const { sendMessageSchema, MAX_SEND_BODY_BYTES } = await requests();
    const { parseIdempotencyKey } = await idempotency();
    const key = parseIdempotencyKey(request.headers.get('idempotency-key'));
    const body = () => readJsonBody(request, sendMessageSchema, MAX_SEND_BODY_BYTES);
    const sent = await (await useCases()).sendEmailMessage(caller, request.params.id, body, key, log);
    return json(sent.status, sent.body, sent.replayed ? { 'Idempotency-Replayed': 'true' } : {});
  }),
};
