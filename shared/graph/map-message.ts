import type { StoredMessage } from '../items/message.js';
import { itemId } from '../items/keys.js';
import type { GraphMessage } from './schemas.js';

/** The message fields the API returns: the only ones the mail delta asks Graph for ($select). */
export const MESSAGE_SELECT = [
  'subject',
  'bodyPreview',
  'from',
  'sender',
  'toRecipients',
  'ccRecipients',
  'receivedDateTime',
  'isRead',
  'importance',
  'hasAttachments',
  'conversationId',
  'webLink',
  'changeKey',
  'parentFolderId',
  'categories',
].join(',');

const person = (r: { emailAddress?: { name?: string; address?: string } } | undefined) =>
  r?.emailAddress ? { name: r.emailAddress.name ?? '', email: (r.emailAddress.address ?? '').toLowerCase() } : null;

export function mapMessage(integrationId: string, folder: string, m: GraphMessage): StoredMessage | undefined {
  const receivedMs = m.receivedDateTime ? Date.parse(m.receivedDateTime) : NaN;
  if (!Number.isFinite(receivedMs)) return undefined;
  const importance = m.importance?.toLowerCase();
  // Whole lists: the field table stores what fits, `toTotal`/`ccTotal` say how many there were.
  const people = (list: GraphMessage['toRecipients']) =>
    (list ?? []).map(person).filter((p): p is NonNullable<typeof p> => p !== null);
  const to = people(m.toRecipients);
  const cc = people(m.ccRecipients);
  return {
    id: itemId(integrationId, m.id),
    externalId: m.id,
    changeKey: m.changeKey ?? '',
    folder,
    subject: m.subject ?? '',
    bodyPreview: m.bodyPreview ?? '',
    from: person(m.from) ?? person(m.sender),
    to,
    toTotal: to.length,
    cc,
    ccTotal: cc.length,
    receivedMs,
    isRead: m.isRead ?? false,
    importance: importance === 'low' || importance === 'high' ? importance : 'normal',
    hasAttachments: m.hasAttachments ?? false,
    conversationId: m.conversationId ?? '',
    webLink: m.webLink ?? '',
    categories: m.categories ?? [],
    folderId: m.parentFolderId ?? '',
  };
}
