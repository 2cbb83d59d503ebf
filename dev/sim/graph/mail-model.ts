import type { GraphObject, Person } from './store.js';

// The mailbox model: folders and messages. Records are immutable; a change replaces them.

export interface MailFolder {
  id: string;
  displayName: string;
  wellKnownName: string | null;
}

export interface MessageFields {
  subject: string;
  bodyHtml: string;
  from: Person;
  to: Person[];
  cc: Person[];
  receivedMs: number;
  sentMs: number;
  isRead: boolean;
  isDraft: boolean;
  importance: 'low' | 'normal' | 'high';
  hasAttachments: boolean;
  conversationId: string;
  internetMessageId: string;
  categories: string[];
  flagged: boolean;
  /** Drafts and the sender's copy only: recipients never see the Bcc line. */
  bcc?: Person[];
  attachments?: readonly SimAttachment[];
  /** PidTagDeleteAfterSubmit (`Boolean 0x0E01`) on a draft: no Sent Items copy once sent. */
  deleteAfterSubmit?: boolean;
  /** The message this draft answers (createReply): its conversation. */
  replyToId?: string;
}

/** A file attachment (fileAttachment resource): inline POST or a finished upload session. */
export interface SimAttachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
  isInline: boolean;
  /** SHA-256 of the bytes, base64: the content itself is not kept (tests compare digests). */
  sha256: string;
  lastModifiedMs: number;
}

/** An upload session of one draft (attachment-createuploadsession.md). */
export interface UploadSession {
  id: string;
  /** The authtoken carried in the upload URL (no Authorization header on the PUTs). */
  token: string;
  messageId: string;
  name: string;
  contentType: string;
  size: number;
  received: Buffer[];
  next: number;
  expiresMs: number;
}

/** A submission (send of a draft or sendMail): the ground truth of what left the mailbox. */
export interface Submission {
  via: 'send' | 'sendMail';
  internetMessageId: string;
  subject: string;
  /** Lower-cased addresses of To, Cc and Bcc, in that order. */
  recipients: string[];
  attachments: Array<{ name: string; size: number; sha256: string }>;
  /** The immutable id of the draft that was sent (send only). */
  draftId: string | null;
  atMs: number;
}

export interface MessageRecord {
  /** The immutable id (`Prefer: IdType="ImmutableId"`): fixed for the message's life; the mailbox's key. */
  readonly id: string;
  /**
   * The default (REST) id: the immutable id until the first move, then a new one on every move,
   * as Graph's default ids change when an item moves to another folder. `json` carries it.
   */
  readonly restId: string;
  readonly folderId: string;
  readonly fields: MessageFields;
  readonly version: number;
  readonly createdMs: number;
  readonly modifiedMs: number;
  readonly changeKey: string;
  readonly json: GraphObject;
  /** Lower-cased, NFC-normalised text for $search. */
  readonly search: { subject: string; body: string; from: string };
}

export interface MailState {
  folders: Map<string, MailFolder>;
  wellKnown: Map<string, string>;
  messages: Map<string, MessageRecord>;
  /** REST id → immutable id, for the messages whose REST id is not their immutable id (moved ones). */
  restIds: Map<string, string>;
  version: number;
  views: Map<string, readonly MessageRecord[]>;
  viewsVersion: number;
  idCounter: number;
  uploads: Map<string, UploadSession>;
  submissions: Submission[];
  /** When the last submissions were accepted (the per-mailbox send rate). */
  submitTimes: number[];
}

export function emptyMail(): MailState {
  return {
    folders: new Map(),
    wellKnown: new Map(),
    messages: new Map(),
    restIds: new Map(),
    version: 0,
    views: new Map(),
    viewsVersion: 0,
    idCounter: 0,
    uploads: new Map(),
    submissions: [],
    submitTimes: [],
  };
}
