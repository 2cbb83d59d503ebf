import { matchesFilter, matchesSearch, type FilterClause, type OrderBy, type SearchTerm } from './odata.js';
import type { MailState, MessageRecord } from './store.js';

// Sorted, filtered message lists, cached per query until the mailbox changes, so paging a
// 10,000-message folder costs a binary search and a slice per page.

export interface MailQuery {
  folderId: string | null;
  filter: readonly FilterClause[];
  search: readonly SearchTerm[] | undefined;
  orderBy: OrderBy;
  /** Most recent N only (Graph caps a filtered message delta at 5,000). */
  limit?: number;
}

const MAX_CACHED = 32;

export function sortValue(m: MessageRecord, o: OrderBy): number | string {
  switch (o.property) {
    case 'receivedDateTime':
      return m.fields.receivedMs;
    case 'sentDateTime':
      return m.fields.sentMs;
    case 'subject':
      return m.search.subject;
  }
}

const cmpValues = (a: number | string, b: number | string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sort order: the key (asc/desc), then id ascending for a total order. */
export function isAfter(m: MessageRecord, o: OrderBy, value: number | string, id: string): boolean {
  const c = cmpValues(sortValue(m, o), value) * (o.descending ? -1 : 1);
  return c > 0 || (c === 0 && m.id > id);
}

export function mailView(mail: MailState, q: MailQuery): readonly MessageRecord[] {
  if (mail.viewsVersion !== mail.version) {
    mail.views.clear();
    mail.viewsVersion = mail.version;
  }
  const key = JSON.stringify(q);
  const hit = mail.views.get(key);
  if (hit) return hit;
  const items: MessageRecord[] = [];
  for (const m of mail.messages.values()) {
    if (q.folderId !== null && m.folderId !== q.folderId) continue;
    if (q.filter.length > 0 && !matchesFilter(q.filter, m.fields)) continue;
    if (q.search && !matchesSearch(q.search, m.search)) continue;
    items.push(m);
  }
  const sign = q.orderBy.descending ? -1 : 1;
  items.sort((a, b) => sign * cmpValues(sortValue(a, q.orderBy), sortValue(b, q.orderBy)) || cmpValues(a.id, b.id));
  const view = q.limit !== undefined ? items.slice(0, q.limit) : items;
  if (mail.views.size >= MAX_CACHED) {
    const oldest = mail.views.keys().next().value;
    if (oldest !== undefined) mail.views.delete(oldest);
  }
  mail.views.set(key, view);
  return view;
}
