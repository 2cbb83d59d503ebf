import { changeKeyOf, digest, etagOf, graphId } from './ids.js';
import { htmlToText } from './seed-text.js';
import type { GraphObject, MailFolder, MessageFields, MessageRecord, Person, UserState } from './store.js';
import { instantZ } from './time.js';

// Builds a message's Graph JSON (v1.0 message resource) from its fields; property order as Graph.

export const WELL_KNOWN_FOLDERS: ReadonlyArray<[string, string]> = [
  ['inbox', 'Inbox'],
  ['drafts', 'Drafts'],
  ['sentitems', 'Sent Items'],
  ['deleteditems', 'Deleted Items'],
  ['junkemail', 'Junk Email'],
  ['outbox', 'Outbox'],
  ['archive', 'Archive'],
];

export const normalise = (s: string): string => s.normalize('NFC').toLowerCase();

const recipient = (p: Person): GraphObject => ({ emailAddress: { name: p.name, address: p.address } });

export function newMessageId(user: UserState): string {
  return graphId('AAMkAG', user.user.id, 'message', user.mail.idCounter++);
}

export function addFolder(user: UserState, displayName: string, wellKnownName: string | null): MailFolder {
  const folder: MailFolder = {
    id: graphId('AQMkAD', user.user.id, 'folder', wellKnownName ?? displayName),
    displayName,
    wellKnownName,
  };
  user.mail.folders.set(folder.id, folder);
  if (wellKnownName) user.mail.wellKnown.set(wellKnownName, folder.id);
  return folder;
}

/** A folder by id or well-known name (case-insensitive), as Graph resolves `mailFolders/{id}`. */
export function findFolder(user: UserState, idOrName: string): MailFolder | undefined {
  const byName = user.mail.wellKnown.get(idOrName.toLowerCase());
  return user.mail.folders.get(byName ?? idOrName);
}

const webLinkOf = (id: string): string =>
  `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(id)}&exvsurl=1&viewmodel=ReadMessageItem`;

export function buildMessage(
  idn: { id: string; restId?: string; folderId: string; version: number; createdMs: number; modifiedMs: number },
  f: MessageFields,
): MessageRecord {
  const changeKey = changeKeyOf(idn.id, idn.version);
  const restId = idn.restId ?? idn.id;
  const text = htmlToText(f.bodyHtml);
  const json: GraphObject = {
    '@odata.etag': etagOf(changeKey),
    id: restId,
    createdDateTime: instantZ(idn.createdMs),
    lastModifiedDateTime: instantZ(idn.modifiedMs),
    changeKey,
    categories: [...f.categories],
    receivedDateTime: instantZ(f.receivedMs),
    sentDateTime: instantZ(f.sentMs),
    hasAttachments: f.hasAttachments,
    internetMessageId: f.internetMessageId,
    subject: f.subject,
    bodyPreview: text.slice(0, 255),
    importance: f.importance,
    parentFolderId: idn.folderId,
    conversationId: f.conversationId,
    conversationIndex: digest('ci', f.conversationId).subarray(0, 22).toString('base64'),
    isDeliveryReceiptRequested: false,
    isReadReceiptRequested: false,
    isRead: f.isRead,
    isDraft: f.isDraft,
    webLink: webLinkOf(restId),
    inferenceClassification: 'focused',
    body: { contentType: 'html', content: f.bodyHtml },
    sender: recipient(f.from),
    from: recipient(f.from),
    toRecipients: f.to.map(recipient),
    ccRecipients: f.cc.map(recipient),
    bccRecipients: (f.bcc ?? []).map(recipient),
    replyTo: [],
    flag: { flagStatus: f.flagged ? 'flagged' : 'notFlagged' },
  };
  return {
    id: idn.id,
    restId,
    folderId: idn.folderId,
    fields: f,
    version: idn.version,
    createdMs: idn.createdMs,
    modifiedMs: idn.modifiedMs,
    changeKey,
    json,
    search: {
      subject: normalise(f.subject),
      body: normalise(text),
      from: normalise(`${f.from.name} ${f.from.address}`),
    },
  };
}

export function reviseMessage(
  prev: MessageRecord,
  fields: MessageFields,
  nowMs: number,
  folderId = prev.folderId,
  restId = prev.restId,
): MessageRecord {
  return buildMessage(
    { id: prev.id, restId, folderId, version: prev.version + 1, createdMs: prev.createdMs, modifiedMs: nowMs },
    fields,
  );
}

/** A message's JSON with the ids the request asked for: immutable ones under `Prefer: IdType="ImmutableId"`. */
export function messageJsonFor(m: MessageRecord, immutableIds: boolean): GraphObject {
  return immutableIds && m.restId !== m.id ? { ...m.json, id: m.id, webLink: webLinkOf(m.id) } : m.json;
}

/** Properties `$select` accepts on messages (the keys buildMessage writes). */
export const MESSAGE_PROPERTIES: readonly string[] = [
  'id',
  'createdDateTime',
  'lastModifiedDateTime',
  'changeKey',
  'categories',
  'receivedDateTime',
  'sentDateTime',
  'hasAttachments',
  'internetMessageId',
  'subject',
  'bodyPreview',
  'importance',
  'parentFolderId',
  'conversationId',
  'conversationIndex',
  'isDeliveryReceiptRequested',
  'isReadReceiptRequested',
  'isRead',
  'isDraft',
  'webLink',
  'inferenceClassification',
  'body',
  'sender',
  'from',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'replyTo',
  'flag',
];
