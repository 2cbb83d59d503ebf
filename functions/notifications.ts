import type { HttpHandler, HttpRequest, HttpResponseInit } from '@azure/functions';
import type { HttpFunction } from '../shared/functions/definitions.js';
import { lazy } from '../shared/lazy.js';

// Graph's endpoint validation (POST ?validationToken=…, text/plain, body empty or not JSON) must be
// answered within 10 s, also by a cold worker: it is answered here, from the query string alone,
// before anything else is loaded or parsed. Deliveries load the checks and the queue on first use.
const receiving = lazy(async () => {
  const [{ endpoint }, { readJsonBody }, { notificationBodySchema }, { useCases }] = await Promise.all([
    import('../shared/http/endpoint.js'),
    import('../shared/http/input.js'),
    import('../shared/realtime/notification-schemas.js'),
    import('../shared/root.js'),
  ]);
  // Past the handshake: 202 once queued; 4xx problem+json for a body that is not Graph's.
  const notificationHandler = (kind: 'change' | 'lifecycle'): HttpHandler =>
    endpoint(async ({ request, log }) => {
      const body = await readJsonBody(request, notificationBodySchema, MAX_BODY_BYTES);
      await (await useCases()).receiveNotifications(kind, body.value, log);
      return { status: 202 };
    });
  return { notificationHandler };
});

/** Graph batches up to a few hundred notifications per POST. */
const MAX_BODY_BYTES = 1024 * 1024;

/** The handshake's answer: 200 text/plain with the URL-decoded token; undefined for a delivery. */
export function validationAnswer(request: Pick<HttpRequest, 'query'>): HttpResponseInit | undefined {
  const token = request.query.get('validationToken');
  if (token === null) return undefined;
  return {
    status: 200,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    body: token,
  };
}

const handlers = new Map<string, HttpHandler>();
const handlerFor =
  (kind: 'change' | 'lifecycle'): HttpHandler =>
  async (request, context) => {
    const answer = validationAnswer(request);
    if (answer) return answer;
    const { notificationHandler } = await receiving();
    let handler = handlers.get(kind);
    if (!handler) handlers.set(kind, (handler = notificationHandler(kind)));
    return handler(request, context);
  };

/** POST /api/integrations/notifications — Microsoft's change notifications (anonymous). */
export const notifications: HttpFunction = {
  kind: 'http',
  name: 'notifications',
  route: 'integrations/notifications',
  methods: ['POST'],
  handler: handlerFor('change'),
};

/** POST /api/integrations/notifications/lifecycle — Microsoft's lifecycle notifications (anonymous). */
export const notificationsLifecycle: HttpFunction = {
  kind: 'http',
  name: 'notificationsLifecycle',
  route: 'integrations/notifications/lifecycle',
  methods: ['POST'],
  handler: handlerFor('lifecycle'),
};
