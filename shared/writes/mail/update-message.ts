import type { TableClient } from '@azure/data-tables';
import { AppError, notFound } from '../../errors.js';
import { graphMessageSchema, type GraphMessage } from '../../graph/schemas.js';
import { messageRowSchema } from '../../items/message.js';
import { REQUIRED_SCOPES } from '../../integrations/scope-guard.js';
import { mustSucceed, RetryBudget } from './graph-call.js';
import type { GraphWriter } from './graph-writer.js';
import type { UpdateMessageRequest } from './requests.js';
import {
  findStoredMessage,
  removeStored,
  upsertFor,
  writeThrough,
  type MessageRow,
  type StoredRef,
} from './stored-message.js';

// PATCH …/email-messages/{message_id}: mark read/unread (PATCH {isRead}) and move (POST …/move,
// 201). Graph's immutable ids (asked for on every request) keep the message's id through a move,
// so the stored row keeps its id and external_id; a move where the sync does not look removes it.

/** Graph's well-known mail folder names (mailfolder resource): distinct folders, compared case-insensitively. */
const WELL_KNOWN = new Set(
  [
    'archive',
    'clutter',
    'conflicts',
    'conversationhistory',
    'deleteditems',
    'drafts',
    'inbox',
    'junkemail',
    'localfailures',
    'msgfolderroot',
    'outbox',
    'recoverableitemsdeletions',
    'scheduled',
    'searchfolders',
    'sentitems',
    'serverfailures',
    'syncissues',
  ].map((s) => s.toLowerCase()),
);
const MAIL_WRITE = REQUIRED_SCOPES.mailWrite[0];
const isWellKnown = (f: string) => WELL_KNOWN.has(f.toLowerCase());
const sameFolder = (a: string, b: string) =>
  isWellKnown(a) && isWellKnown(b) ? a.toLowerCase() === b.toLowerCase() : a === b;

export interface UpdatePorts {
  table: TableClient;
  /** SYNC_MAIL_FOLDERS: well-known names or folder ids. */
  syncedFolders: readonly string[];
}

const parseMessage = (body: unknown, what: string): GraphMessage => {
  const parsed = graphMessageSchema.safeParse(body);
  if (!parsed.success) throw new AppError('service_unavailable', `Microsoft Graph answered ${what} unexpectedly.`);
  return parsed.data;
};

/** The stored message the caller names, or 404 (unknown, another integration's, malformed: the same). */
export async function storedOr404(table: TableClient, integrationId: string, id: string | undefined) {
  const found = id ? await findStoredMessage(table, integrationId, id) : undefined;
  if (!found) throw notFound();
  return found;
}

/**
 * The synced folder (its SYNC_MAIL_FOLDERS entry) a message moved to `requested` now lives in, or
 * null. Names and ids are compared first; only when a folder id must be matched against a
 * well-known name does it ask Graph for the synced folders' ids (one GET each).
 */
async function syncedFolderOf(
  graph: GraphWriter,
  budget: RetryBudget,
  synced: readonly string[],
  requested: string,
  parentFolderId: string | undefined,
): Promise<string | null> {
  const direct = synced.find((f) => sameFolder(f, requested) || (parentFolderId !== undefined && f === parentFolderId));
  if (direct) return direct;
  const named = synced.filter(isWellKnown);
  if (isWellKnown(requested) && named.length === synced.length) return null;
  for (const f of named) {
    const answer = await mustSucceed(
      graph,
      budget,
      { what: 'the folder lookup', idempotent: true, scopes: MAIL_WRITE },
      'GET',
      `/me/mailFolders/${encodeURIComponent(f)}?$select=id`,
    );
    const id = (answer.body as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string' && id === parentFolderId) return f;
  }
  return null;
}

export async function updateMessage(
  ports: UpdatePorts,
  graph: GraphWriter,
  integrationId: string,
  stored: StoredRef,
  change: UpdateMessageRequest,
): Promise<MessageRow> {
  const budget = new RetryBudget();
  const external = encodeURIComponent(stored.row.externalId);
  let message: GraphMessage | undefined;
  try {
    if (change.is_read !== undefined) {
      const answer = await mustSucceed(
        graph,
        budget,
        { what: 'the change', idempotent: true, scopes: MAIL_WRITE },
        'PATCH',
        `/me/messages/${external}`,
        { isRead: change.is_read },
      );
      message = parseMessage(answer.body, 'the change');
    }
    const moving = change.folder !== undefined && !sameFolder(change.folder, stored.pointer.folder);
    if (moving && change.folder !== undefined) {
      // Not idempotent in general (a second move is a no-op with immutable ids, but a 503 may have moved it).
      const answer = await mustSucceed(
        graph,
        budget,
        { what: 'the move', scopes: MAIL_WRITE },
        'POST',
        `/me/messages/${external}/move`,
        {
          destinationId: change.folder,
        },
      );
      message = parseMessage(answer.body, 'the move');
    }
  } catch (error) {
    // Gone at Microsoft: the stored row goes too (the next delta round would remove it anyway).
    if (error instanceof AppError && error.code === 'not_found') {
      await removeStored(ports.table, integrationId, stored.row.externalId, stored.pointer);
    }
    throw error;
  }
  if (!message) return stored.row; // nothing to change: a move to the folder it is in
  let folder: string | null = stored.pointer.folder;
  if (change.folder !== undefined && !sameFolder(change.folder, stored.pointer.folder)) {
    folder = await syncedFolderOf(graph, budget, ports.syncedFolders, change.folder, message.parentFolderId);
  }
  let pointer: StoredRef['pointer'] | undefined = stored.pointer;
  if (message.id !== stored.row.externalId) {
    // Graph answered another id (it would without immutable ids): the old row goes, the new one is stored.
    await removeStored(ports.table, integrationId, stored.row.externalId, stored.pointer);
    pointer = undefined;
  }
  const written = await writeThrough(ports.table, integrationId, message, folder, pointer);
  if (written) return written;
  // Moved where the sync does not look: answered as Microsoft has it, in the folder asked for.
  const shaped = upsertFor(integrationId, change.folder ?? stored.pointer.folder, message);
  if (!shaped) throw new AppError('service_unavailable', 'Microsoft Graph answered the move unexpectedly.');
  return messageRowSchema.parse(shaped.row);
}
