import { z } from 'zod';
import type { Provider } from '../providers.js';
import {
  always,
  cursorParam,
  instantParam,
  integrationIdParam,
  limitParam,
  numberOrUndefined,
  providerParam,
  providersWith,
  strictQuery,
} from './params.js';
import {
  booleanParam,
  conversationIdParam,
  emailParam,
  folderParam,
  searchParam,
  searchTerm,
} from './filter-params.js';

export { MAX_SEARCH_CHARS } from './filter-params.js';

/** The query string of GET /api/integrations/email-messages. */
export const messageQuerySchema = strictQuery({
  provider: providerParam('mail'),
  integration_id: integrationIdParam.optional(),
  is_read: booleanParam,
  search: searchParam,
  importance: z.enum(['low', 'normal', 'high'], { error: 'must be low, normal or high' }).optional(),
  received_after: instantParam.optional(),
  received_before: instantParam.optional(),
  from: emailParam,
  folder: folderParam,
  has_attachments: booleanParam,
  conversation_id: conversationIdParam,
  limit: limitParam,
  cursor: cursorParam.optional(),
}).superRefine((q, ctx) => {
  const after = numberOrUndefined(q.received_after);
  const before = numberOrUndefined(q.received_before);
  if (after !== undefined && before !== undefined && before <= after) {
    ctx.addIssue({ code: 'custom', path: ['received_before'], message: 'must be after received_after' });
  }
}, always);
export type MessageQuery = z.infer<typeof messageQuerySchema>;

/** Providers in scope: the one asked for, else every provider with mail. */
export const messageProviders = (q: MessageQuery): Provider[] => (q.provider ? [q.provider] : providersWith('mail'));

/**
 * The query a cursor is bound to: every parameter but `cursor` and `limit`, normalised: the search
 * term case-folded (that is how it matches), instants as milliseconds, the id in lower case.
 */
export const messageBinding = (q: MessageQuery) => ({
  endpoint: 'email-messages',
  providers: messageProviders(q),
  integration_id: q.integration_id?.toLowerCase() ?? null,
  is_read: q.is_read ?? null,
  search: searchTerm(q.search) ?? null,
  importance: q.importance ?? null,
  received_after: q.received_after ?? null,
  received_before: q.received_before ?? null,
  from: q.from ?? null,
  folder: q.folder ?? null,
  has_attachments: q.has_attachments ?? null,
  conversation_id: q.conversation_id ?? null,
});
