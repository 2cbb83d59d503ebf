import type { Settings } from '../../config.js';
import { AppError } from '../../errors.js';
import { withMailboxSlots } from '../../graph/semaphore.js';
import type { Integration } from '../../integrations/model.js';
import type { Logger } from '../../log.js';
import { accessTokenProvider } from '../../oauth/access-token.js';
import { ReauthRequiredError } from '../../oauth/reauth-required.js';
import type { TokenCacheStore } from '../../oauth/token-cache-store.js';
import { createGraphWriter, createUploadPut, type GraphWriter } from './graph-writer.js';

export interface MailboxSession {
  graph: GraphWriter;
  upload: ReturnType<typeof createUploadPut>;
}

/**
 * Runs `fn` with Graph access to the integration's mailbox, inside the process-wide semaphore the
 * sync uses for the same Microsoft account (GRAPH_MAX_CONCURRENCY_PER_MAILBOX): writes and syncs
 * together stay within Outlook's concurrency limit. Lost consent is 409 `reauth_required`.
 */
export async function withMailbox<T>(
  ports: { settings: Settings; tokenCaches: TokenCacheStore; log: Logger },
  integration: Integration,
  fn: (session: MailboxSession) => Promise<T>,
): Promise<T> {
  if (integration.status === 'reauth_required') {
    throw new AppError('reauth_required', 'Microsoft no longer accepts this connection; connect the account again.');
  }
  const getAccessToken = accessTokenProvider(ports.settings, ports.tokenCaches, integration, ports.log);
  try {
    return await withMailboxSlots(
      integration.microsoftUserId,
      ports.settings.GRAPH_MAX_CONCURRENCY_PER_MAILBOX,
      (mailboxSlots) =>
        fn({
          graph: createGraphWriter({ baseUrl: ports.settings.GRAPH_BASE_URL, getAccessToken, mailboxSlots }),
          upload: createUploadPut({ mailboxSlots }),
        }),
    );
  } catch (error) {
    if (error instanceof ReauthRequiredError) {
      throw new AppError('reauth_required', 'Microsoft no longer accepts this connection; connect the account again.');
    }
    throw error;
  }
}
