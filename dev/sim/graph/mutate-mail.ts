import { buildMessage, newMessageId, reviseMessage } from './message-json.js';
import type { ChangeRecord } from './notify.js';
import type { MessageFields, MessageRecord, UserState } from './store.js';

// Mailbox writes shared by the message endpoints, sendMail and applyChanges. Every write bumps
// the mailbox version (dropping cached views) and reports what changed for notifications.

const changed = (changeType: ChangeRecord['changeType'], m: MessageRecord, folderId = m.folderId): ChangeRecord =>
  ({ resource: 'message', changeType, id: m.id, changeKey: m.changeKey, folderId });

export function addMessage(user: UserState, folderId: string, fields: MessageFields, nowMs: number): { message: MessageRecord; change: ChangeRecord } {
  const message = buildMessage({ id: newMessageId(user), folderId, version: 1, createdMs: nowMs, modifiedMs: nowMs }, fields);
  user.mail.messages.set(message.id, message);
  user.mail.version++;
  return { message, change: changed('created', message) };
}

export function editMessage(user: UserState, prev: MessageRecord, edit: (f: MessageFields) => MessageFields, nowMs: number): { message: MessageRecord; change: ChangeRecord } {
  const message = reviseMessage(prev, edit({ ...prev.fields }), nowMs);
  user.mail.messages.set(message.id, message);
  user.mail.version++;
  return { message, change: changed('updated', message) };
}

export function removeMessage(user: UserState, prev: MessageRecord): ChangeRecord {
  user.mail.messages.delete(prev.id);
  user.mail.version++;
  return changed('deleted', prev);
}

/** Moving gives the message a new id in the destination folder, as Graph does without immutable ids. */
export function moveMessage(user: UserState, prev: MessageRecord, folderId: string, nowMs: number): { message: MessageRecord; changes: ChangeRecord[] } {
  const removed = removeMessage(user, prev);
  const { message, change } = addMessage(user, folderId, { ...prev.fields }, nowMs);
  return { message, changes: [removed, change] };
}
