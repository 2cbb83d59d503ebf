// Graph path segments that name a resource kind or a function rather than an instance. Anything
// else in a Graph path (ids, email addresses, folder ids) becomes `{id}` in the stats' templates.
const literalSegments = new Set(
  [
    'me',
    'users',
    'calendarView',
    'delta',
    'events',
    'messages',
    'mailFolders',
    'childFolders',
    'calendar',
    'calendars',
    'calendarGroups',
    'subscriptions',
    '$batch',
    'instances',
    'sendMail',
    'send',
    'createReply',
    'createUploadSession',
    'attachments',
    'contacts',
    'contactFolders',
    'mailboxSettings',
    'accept',
    'decline',
    'tentativelyAccept',
    'cancel',
    'forward',
    'reply',
    'replyAll',
    'move',
    'copy',
    '$value',
    '$count',
    'photo',
    'manager',
    // Well-known mail folder names are kept: "inbox" in a template is more telling than "{id}".
    'inbox',
    'sentitems',
    'drafts',
    'deleteditems',
    'archive',
    'junkemail',
    'outbox',
    'msgfolderroot',
  ].map((s) => s.toLowerCase()),
);

/** `GET /v1.0/me/mailFolders/AAMk.../messages/delta` → `GET /v1.0/me/mailFolders/{id}/messages/delta`. */
export function graphTemplate(method: string, pathname: string): string {
  const segments = pathname.split('/').filter((s) => s.length > 0);
  const [version, ...rest] = segments;
  const templated = rest.map((s) => (literalSegments.has(s.toLowerCase()) ? s : '{id}'));
  return `${method} /${[version ?? '', ...templated].join('/')}`;
}
