import type { Caller } from '../identity/caller.js';
import type { KeyProvider } from '../crypto/key-provider.js';
import type { Provider } from '../providers.js';
import { createCursorCodec, cursorBinding } from '../paging/cursor.js';
import { integrationView } from './model.js';
import type { IntegrationRepository } from './repository.js';

/** GET /api/integrations: the caller's integrations, oldest first, in pages with a signed cursor. */
export async function integrationsPage(
  { integrations: repo, keys }: { integrations: IntegrationRepository; keys: KeyProvider },
  caller: Caller,
  query: { provider?: Provider; limit: number; cursor?: string },
) {
  const codec = createCursorCodec(keys);
  const binding = cursorBinding(caller.userKey, { list: 'integrations', provider: query.provider ?? null });
  const after = query.cursor ? (await codec.open(binding, query.cursor)).after : undefined;
  const sortKey = (i: { createdAt: string; id: string }) => `${i.createdAt}|${i.id}`;
  const all = (await repo.listForUser(caller.userKey))
    .filter((i) => !query.provider || i.provider === query.provider)
    .filter((i) => after === undefined || sortKey(i) > after);
  const page = all.slice(0, query.limit);
  const last = page.at(-1);
  const next = all.length > query.limit && last ? await codec.issue(binding, { after: sortKey(last) }) : null;
  return { results: page.map(integrationView), next_cursor: next };
}
