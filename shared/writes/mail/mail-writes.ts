import type { Settings } from '../../config.js';
import { notFound } from '../../errors.js';
import { messageView } from '../../items/message.js';
import type { Integration } from '../../integrations/model.js';
import { REQUIRED_SCOPES, requireScopes } from '../../integrations/scope-guard.js';
import type { Logger } from '../../log.js';
import type { TokenCacheStore } from '../../oauth/token-cache-store.js';
import type { StorageAccount } from '../../storage/account.js';
import { withMailbox } from './mailbox-session.js';
import {
  checkAttachmentTotal,
  type SendMessageRequest,
  type SendResult,
  type UpdateMessageRequest,
} from './requests.js';
import { sendMessage, type SendJournal } from './send-message.js';
import { storedOr404, updateMessage } from './update-message.js';

// The mail write use-cases (API.md "Writes", Mail). Order of checks: the integration is the
// caller's (404, before the body is read), the body parses (400/413/415), it is an Outlook one
// (404), the scopes were granted (403, before any Graph request), the named stored messages exist
// (404); only then does Graph hear of it.

export interface MailWritePorts {
  settings: Settings;
  storage: StorageAccount;
  tokenCaches: TokenCacheStore;
  log: Logger;
}

function outlookOr404(integration: Integration): void {
  if (integration.provider !== 'microsoft_outlook') throw notFound();
}

/** PATCH …/email-messages/{message_id}: the message in the query shape, as stored (or as Microsoft has it, moved away). */
export async function updateEmailMessage(
  ports: MailWritePorts,
  integration: Integration,
  messageId: string | undefined,
  readBody: () => Promise<UpdateMessageRequest>,
) {
  const change = await readBody();
  outlookOr404(integration);
  requireScopes(integration, REQUIRED_SCOPES.mailWrite);
  const table = await ports.storage.table('EmailMessages');
  const stored = await storedOr404(table, integration.id, messageId);
  const row = await withMailbox(ports, integration, ({ graph }) =>
    updateMessage({ table, syncedFolders: ports.settings.SYNC_MAIL_FOLDERS }, graph, integration.id, stored, change),
  );
  return messageView(row, 'microsoft_outlook');
}

/** What a send needs checked before it may start: the body, the scopes, the message replied to. */
export async function prepareSend(
  ports: MailWritePorts,
  integration: Integration,
  readBody: () => Promise<SendMessageRequest>,
): Promise<{ body: SendMessageRequest; replyToGraphId?: string }> {
  const body = await readBody();
  outlookOr404(integration);
  checkAttachmentTotal(body);
  requireScopes(integration, REQUIRED_SCOPES.mailSend);
  if (body.reply_to_message_id === undefined) return { body };
  const table = await ports.storage.table('EmailMessages');
  const stored = await storedOr404(table, integration.id, body.reply_to_message_id);
  return { body, replyToGraphId: stored.row.externalId };
}

/** POST …/email-messages: draft, attachments, send (send-message.ts). */
export async function sendEmailMessage(
  ports: MailWritePorts,
  integration: Integration,
  prepared: { body: SendMessageRequest; replyToGraphId?: string },
  journal: SendJournal,
): Promise<SendResult> {
  return withMailbox(ports, integration, (session) =>
    sendMessage(
      {
        session,
        integrationId: integration.id,
        graphBaseUrl: ports.settings.GRAPH_BASE_URL,
        journal,
        log: ports.log,
        ...(prepared.replyToGraphId ? { replyToGraphId: prepared.replyToGraphId } : {}),
      },
      prepared.body,
    ),
  );
}
