import { buildMessage, newMessageId, reviseMessage } from './message-json.js';
import type { ChangeRecord } from './notify.js';
import type { MessageFields, MessageRecord, UserState } from './store.js';

// Mailbox writes shared by the message endpoints, sendMail and applyChanges. Every write bumps
// the mailbox version (dropping cached views) and reports what changed for notifications.

const changed = (changeType: ChangeRecord['changeType'], m: MessageRecord, folderId = m.folderId): ChangeRecord => ({
  resource: 'message',
  changeType,
  id: m.restId,
  immutableId: m.id,
  changeKey: m.changeKey,
  folderId,
});

export function addMessage(
  user: UserState,
  folderId: string,
  fields: MessageFields,
  nowMs: number,
): { message: MessageRecord; change: ChangeRecord } {
  const message = buildMessage(
    { id: newMessageId(user), folderId, version: 1, createdMs: nowMs, modifiedMs: nowMs },
    fields,
  );
  user.mail.messages.set(message.id, message);
  user.mail.version++;
  return { message, change: changed('created', message) };
}

export function editMessage(
  user: UserState,
  prev: MessageRecord,
  edit: (f: MessageFields) => MessageFields,
  nowMs: number,
): { message: MessageRecord; change: ChangeRecord } {
  const message = reviseMessage(prev, edit({ ...prev.fields }), nowMs);
  user.mail.messages.set(message.id, message);
  user.mail.version++;
  return { message, change: changed('updated', message) };
}

export function removeMessage(user: UserState, prev: MessageRecord): ChangeRecord {
  user.mail.messages.delete(prev.id);
  user.mail.restIds.delete(prev.restId);
  user.mail.version++;
  return changed('deleted', prev);
}

/**
 * Moving gives the message a new REST id in the destination folder (the old one no longer
 * resolves), as Graph's default ids do; its immutable id stays. Subscribers see a deletion in the
 * source folder and a creation in the destination.
 */
export function moveMessage(
  user: UserState,
  prev: MessageRecord,
  folderId: string,
  nowMs: number,
): { message: MessageRecord; changes: ChangeRecord[] } {
  const message = reviseMessage(prev, { ...prev.fields }, nowMs, folderId, newMessageId(user));
  user.mail.restIds.delete(prev.restId);
  user.mail.restIds.set(message.restId, message.id);
  user.mail.messages.set(message.id, message);
  user.mail.version++;
  return { message, changes: [changed('deleted', prev), changed('created', message)] };
}
