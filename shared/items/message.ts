import { z } from 'zod';
import type { Provider } from '../providers.js';
import { api, fieldTable, fitList, flag, instantMs, json, oneOf, since, text, totalOf } from './field-table.js';
import { capPerson, ID_CAP, LINK_CAP, personResponse, personSchema, TITLE_CAP } from './people.js';
import { categoriesField } from './categories.js';
import { foldCase, MAX_SEARCH_CHARS, searchText } from './search-text.js';

export { foldCase, MAX_SEARCH_CHARS };

/** Each recipient list's JSON text is cut here, whole recipients at a time (`to_total`/`cc_total` say how many). */
export const MAX_RECIPIENTS_JSON_CHARS = 12_000;

const recipients = (name: 'to' | 'cc') =>
  json(
    z.array(personSchema),
    MAX_RECIPIENTS_JSON_CHARS,
    (list) => fitList(list.map(capPerson), MAX_RECIPIENTS_JSON_CHARS),
    api(
      name,
      z
        .array(personResponse)
        .meta({ description: `Cut to fit storage, whole recipients at a time (\`${name}_total\`).` }),
    ),
  );

/**
 * The email message's field table (API.md "Queries"): stored columns, their caps, and the API
 * fields. Column names are those of existing rows; the API adds `integration_id` and `provider`.
 */
export const messageFields = {
  id: text(ID_CAP, api('id', z.string())),
  externalId: text(ID_CAP, api('external_id', z.string().meta({ description: 'The Microsoft Graph id.' }))),
  changeKey: text(ID_CAP),
  folder: text(
    ID_CAP,
    api(
      'folder',
      z
        .string()
        .meta({ description: "The synced folder holding the message: its well-known name, or the folder's id." }),
    ),
  ),
  subject: text(TITLE_CAP, api('subject', z.string())),
  bodyPreview: text(TITLE_CAP, api('body_preview', z.string())),
  from: json(personSchema.nullable(), 1_000, (p) => p && capPerson(p), api('from', personResponse.nullable())),
  to: recipients('to'),
  toTotal: totalOf(
    'to',
    api('to_total', z.number().int().nonnegative().meta({ description: 'Recipients in `to` at Microsoft.' })),
  ),
  cc: recipients('cc'),
  ccTotal: totalOf(
    'cc',
    api('cc_total', z.number().int().nonnegative().meta({ description: 'Recipients in `cc` at Microsoft.' })),
  ),
  receivedMs: instantMs('receivedAt', 'received_at'),
  isRead: flag(api('is_read', z.boolean())),
  importance: oneOf(['low', 'normal', 'high'], api('importance', z.enum(['low', 'normal', 'high']))),
  hasAttachments: flag(api('has_attachments', z.boolean())),
  conversationId: text(ID_CAP, api('conversation_id', z.string())),
  webLink: text(LINK_CAP, api('web_link', z.string())),
  categories: categoriesField(),
  /** Graph's parentFolderId, so `folder` filters by the folder's id as well as by its well-known name. */
  folderId: since(text(ID_CAP), ''),
};
export const messageTable = fieldTable(messageFields);

/** A stored message row: its keys (PartitionKey = integration id), every field, and the search text. */
export const messageRowSchema = z
  .object({
    partitionKey: z.string(),
    rowKey: z.string(),
    ...messageTable.shape,
    /** Case-folded subject, preview, sender name and address: what `search` matches against. */
    search: z.string(),
  })
  .transform(({ partitionKey, rowKey, search, ...columns }) => ({
    partitionKey,
    rowKey,
    ...messageTable.read(columns),
    search,
  }));

/** An email message as stored and as the API returns it (API.md "Queries"), minus integration fields. */
export type StoredMessage = Omit<z.infer<typeof messageRowSchema>, 'partitionKey' | 'rowKey' | 'search'>;

export function messageToRow(integrationId: string, rowKey: string, m: StoredMessage) {
  const columns = messageTable.write(m);
  // Searched as stored: the capped subject, preview and sender.
  const search = [
    String(columns.subject),
    String(columns.bodyPreview),
    m.from ? capPerson(m.from).name : '',
    m.from ? capPerson(m.from).email : '',
  ];
  return {
    partitionKey: integrationId,
    rowKey,
    ...columns,
    search: searchText(search),
  };
}

/** The API shape of a stored message row. */
export function messageView(row: z.infer<typeof messageRowSchema>, provider: Provider) {
  const { id, ...fields } = messageTable.view(row);
  return { id, integration_id: row.partitionKey, provider, ...fields };
}
