import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json, readQuery } from '../shared/http/input.js';
import { messageQuerySchema } from '../shared/query/message-params.js';
import { useCases } from '../shared/root.js';

/** GET /api/integrations/email-messages — the caller's messages, newest first, filtered and searched. */
export const emailMessages: HttpFunction = {
  kind: 'http',
  name: 'emailMessages',
  route: 'integrations/email-messages',
  methods: ['GET'],
  handler: authenticatedEndpoint(async ({ request, caller, log }) => {
    const query = readQuery(request, messageQuerySchema);
    return json(200, await (await useCases()).emailMessages(caller, query, log));
  }),
};
