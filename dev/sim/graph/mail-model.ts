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
  };
}
