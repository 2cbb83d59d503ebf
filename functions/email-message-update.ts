import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json, readJsonBody } from '../shared/http/input.js';
import { lazy } from '../shared/lazy.js';
import { useCases } from '../shared/root.js';

// Schemas load on the first request, not at every cold start's import (benchmark B5).
const requests = lazy(() => import('../shared/writes/mail/requests.js'));

/** PATCH /api/integrations/{id}/email-messages/{message_id} — mark read/unread, move; 200 with the message. */
export const emailMessageUpdate: HttpFunction = {
  kind: 'http',
  name: 'emailMessageUpdate',
  route: 'integrations/{id}/email-messages/{message_id}',
  methods: ['PATCH'],
  handler: authenticatedEndpoint(async ({ request, caller, log }) => {
    const { updateMessageSchema } = await requests();
    const body = () => readJsonBody(request, updateMessageSchema);
    const message = await (
      await useCases()
    ).updateEmailMessage(caller, request.params.id, request.params.message_id, body, log);
    return json(200, message);
  }),
};
