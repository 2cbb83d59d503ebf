import { z } from 'zod';
import { jsonColumn as json } from './json-column.js';

/** An email message as stored and as the API returns it (API.md "Queries"), minus integration fields. */
export interface StoredMessage {
  id: string;
  externalId: string;
  changeKey: string;
  folder: string;
  subject: string;
  bodyPreview: string;
  from: { name: string; email: string } | null;
  to: { name: string; email: string }[];
  cc: { name: string; email: string }[];
  receivedMs: number;
  isRead: boolean;
  importance: 'low' | 'normal' | 'high';
  hasAttachments: boolean;
  conversationId: string;
  webLink: string;
}

const person = z.object({ name: z.string(), email: z.string() });

export const messageRowSchema = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  id: z.string(),
  externalId: z.string(),
  changeKey: z.string(),
  folder: z.string(),
  subject: z.string(),
  bodyPreview: z.string(),
  from: json(person.nullable()),
  to: json(z.array(person)),
  cc: json(z.array(person)),
  receivedAt: z.string(),
  isRead: z.boolean(),
  importance: z.enum(['low', 'normal', 'high']),
  hasAttachments: z.boolean(),
  conversationId: z.string(),
  webLink: z.string(),
  /** Case-folded subject, preview, sender name and address: what `search` matches against. */
  search: z.string(),
});

/** Case-insensitive matching that also folds non-ASCII letters (é/É, ß/SS) and composed forms. */
export const foldCase = (s: string) => s.normalize('NFKC').toLocaleLowerCase('und').replace(/ß/g, 'ss');

export function messageToRow(integrationId: string, rowKey: string, m: StoredMessage) {
  return {
    partitionKey: integrationId,
    rowKey,
    id: m.id,
    externalId: m.externalId,
    changeKey: m.changeKey,
    folder: m.folder,
    subject: m.subject,
    bodyPreview: m.bodyPreview,
    from: JSON.stringify(m.from),
    to: JSON.stringify(m.to),
    cc: JSON.stringify(m.cc),
    receivedAt: new Date(m.receivedMs).toISOString(),
    isRead: m.isRead,
    importance: m.importance,
    hasAttachments: m.hasAttachments,
    conversationId: m.conversationId,
    webLink: m.webLink,
    search: foldCase([m.subject, m.bodyPreview, m.from?.name ?? '', m.from?.email ?? ''].join('\n')).slice(0, 30_000),
  };
}

const iso = (s: string) => new Date(s).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The API shape of a stored message row. */
export function messageView(row: z.infer<typeof messageRowSchema>, provider: string) {
  return {
    id: row.id,
    integration_id: row.partitionKey,
    provider,
    external_id: row.externalId,
    subject: row.subject,
    body_preview: row.bodyPreview,
    from: row.from,
    to: row.to,
    cc: row.cc,
    received_at: iso(row.receivedAt),
    is_read: row.isRead,
    importance: row.importance,
    has_attachments: row.hasAttachments,
    conversation_id: row.conversationId,
    web_link: row.webLink,
  };
}
