import type { MailboxSeed } from '../contract.js';
import { createRng, digest, seedOf, type Rng } from './ids.js';
import { WELL_KNOWN_FOLDERS, addFolder, buildMessage, findFolder, newMessageId } from './message-json.js';
import { MAIL_SUBJECTS, PEOPLE, htmlBody, paragraph } from './seed-text.js';
import type { MessageFields, Person, UserState } from './store.js';
import { DAY_MS } from './time.js';

// The seeded mailbox: `messages` messages in the Inbox received over the last ~60 days, exactly
// round(messages × unread_share) of them unread, and for each extra folder a tenth as many
// (at least one). Well-known names (e.g. 'archive') reuse the well-known folder.

export const MAILBOX_DEFAULTS = { messages: 30, unread_share: 0.3, folders: ['archive'] as string[] } as const;

export interface MessageDraftOptions {
  rng: Rng;
  me: Person;
  conversations: string[];
}

export function draftMessage(o: MessageDraftOptions, receivedMs: number, isRead: boolean): MessageFields {
  const { rng } = o;
  const from = rng.pick(PEOPLE);
  const cc = rng.shuffle(PEOPLE.filter((p) => p !== from)).slice(0, rng.int(0, 2));
  const received = Math.floor(receivedMs / 1000) * 1000;
  return {
    subject: rng.pick(MAIL_SUBJECTS),
    bodyHtml: htmlBody(paragraph(rng, rng.int(150, 600))),
    from,
    to: rng.chance(0.2) ? [o.me, rng.pick(PEOPLE)] : [o.me],
    cc,
    receivedMs: received,
    sentMs: received - rng.int(1, 90) * 1000,
    isRead,
    isDraft: false,
    importance: rng.chance(0.1) ? 'high' : rng.chance(0.1) ? 'low' : 'normal',
    hasAttachments: rng.chance(0.2),
    conversationId: rng.pick(o.conversations),
    internetMessageId: `<${digest('imid', rng.next()).toString('hex').slice(0, 24)}@${from.address.split('@')[1] ?? 'example.com'}>`,
    categories: rng.chance(0.15) ? ['Important'] : [],
    flagged: rng.chance(0.05),
  };
}

function seedFolder(
  user: UserState,
  o: MessageDraftOptions,
  folderId: string,
  count: number,
  unread: number,
  nowMs: number,
): void {
  const unreadIdx = new Set(o.rng.shuffle([...Array(count).keys()]).slice(0, unread));
  for (let i = 0; i < count; i++) {
    const receivedMs = nowMs - o.rng.int(60, (60 * DAY_MS) / 1000) * 1000;
    const fields = draftMessage(o, receivedMs, !unreadIdx.has(i));
    const rec = buildMessage(
      { id: newMessageId(user), folderId, version: 1, createdMs: fields.receivedMs, modifiedMs: fields.receivedMs },
      fields,
    );
    user.mail.messages.set(rec.id, rec);
  }
}

export function seedMailbox(user: UserState, seed: MailboxSeed | undefined, nowMs: number): void {
  const cfg = { ...MAILBOX_DEFAULTS, ...seed };
  const rng = createRng(seedOf(user.seed, 'mailbox'));
  for (const [wk, name] of WELL_KNOWN_FOLDERS) addFolder(user, name, wk);
  const conversations = [...Array(Math.max(1, Math.ceil(cfg.messages / 3))).keys()].map(
    (i) => `AAQkAG${digest('conv', user.user.id, i).toString('base64url').slice(0, 40)}=`,
  );
  const o: MessageDraftOptions = { rng, me: { name: user.user.displayName, address: user.user.email }, conversations };
  const inbox = findFolder(user, 'inbox');
  if (!inbox) throw new Error('inbox missing');
  const share = Math.min(1, Math.max(0, cfg.unread_share));
  seedFolder(user, o, inbox.id, cfg.messages, Math.round(cfg.messages * share), nowMs);
  for (const name of cfg.folders) {
    const folder = findFolder(user, name) ?? addFolder(user, name, null);
    const count = Math.max(1, Math.round(cfg.messages / 10));
    seedFolder(user, o, folder.id, count, Math.round(count * share), nowMs);
  }
}
