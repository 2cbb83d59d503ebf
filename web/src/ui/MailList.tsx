import { useEffect, useState } from 'preact/hooks';
import { unwrap, type Api, type EmailMessage, type Integration } from '../api/client';
import type { ApiError } from '../api/problem';
import { ErrorBanner } from './ErrorBanner';
import { formatDateTime } from './format';

interface Props {
  api: Api;
  integrations: Integration[];
  version: number;
}

const PAGE = 25;
const received = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** Newest first, with the unread filter and search done by the API; more pages through `next_cursor`. */
export function MailList({ api, integrations, version }: Props) {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [draft, setDraft] = useState('');
  const [search, setSearch] = useState('');
  const [messages, setMessages] = useState<EmailMessage[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState<EmailMessage | null>(null);
  const outlook = integrations.filter((i) => i.provider === 'microsoft_outlook');

  const page = (after: string | null) =>
    unwrap(
      api.GET('/integrations/email-messages', {
        params: {
          query: {
            limit: String(PAGE),
            ...(unreadOnly ? { is_read: 'false' as const } : {}),
            ...(search ? { search } : {}),
            ...(after ? { cursor: after } : {}),
          },
        },
      }),
    );

  useEffect(() => {
    if (outlook.length === 0) return setMessages([]);
    let current = true;
    setMessages(null);
    page(null)
      .then((p) => current && (setMessages(p.results), setCursor(p.next_cursor), setError(null)))
      .catch((e: ApiError) => current && setError(e));
    return () => {
      current = false;
    };
  }, [api, unreadOnly, search, version, outlook.length]);

  const more = () =>
    void page(cursor)
      .then((p) => (setMessages([...(messages ?? []), ...p.results]), setCursor(p.next_cursor)))
      .catch((e: ApiError) => setError(e));

  return (
    <section aria-labelledby="mail-title" class="mail">
      <div class="toolbar">
        <h2 id="mail-title">Inbox</h2>
        <form
          role="search"
          class="search"
          onSubmit={(e) => {
            e.preventDefault();
            setSearch(draft.trim());
          }}
        >
          <label for="mail-search" class="visually-hidden">
            Search mail
          </label>
          <input
            id="mail-search"
            type="search"
            placeholder="Search subject, preview, sender"
            maxLength={200}
            value={draft}
            onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
          />
          <button type="submit">Search</button>
        </form>
        <label class="toggle">
          <input
            type="checkbox"
            checked={unreadOnly}
            onChange={(e) => setUnreadOnly((e.target as HTMLInputElement).checked)}
          />{' '}
          Unread only
        </label>
        <span class="muted" aria-live="polite">
          {messages === null ? 'Loading…' : `${messages.length}${cursor ? '+' : ''} messages`}
        </span>
      </div>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {outlook.length === 0 ? (
        <p class="empty">Connect Outlook mail to see your inbox.</p>
      ) : (
        <div class="mail-body">
          <div class="mail-list">
            <ul class="messages" aria-label="Messages">
              {(messages ?? []).map((m) => (
                <li key={m.id}>
                  <button
                    type="button"
                    class={`message ${m.is_read ? '' : 'unread'} ${selected?.id === m.id ? 'selected' : ''}`}
                    data-external-id={m.external_id}
                    aria-current={selected?.id === m.id ? 'true' : undefined}
                    onClick={() => setSelected(m)}
                  >
                    <span class="from">
                      {!m.is_read && <span class="dot" aria-label="unread" role="img" />}
                      {m.from?.name || m.from?.email || '(no sender)'}
                    </span>
                    <time class="received muted" dateTime={m.received_at}>
                      {received.format(new Date(m.received_at))}
                    </time>
                    <span class="subject">
                      {m.importance === 'high' && (
                        <span class="importance" aria-label="high importance" role="img">
                          !
                        </span>
                      )}
                      {m.subject || '(no subject)'}
                      {m.has_attachments && (
                        <span class="clip" aria-label="has attachments" role="img">
                          📎
                        </span>
                      )}
                    </span>
                    <span class="preview muted">{m.body_preview}</span>
                  </button>
                </li>
              ))}
              {messages?.length === 0 && <li class="empty">No messages{search ? ` match “${search}”` : ''}.</li>}
            </ul>
            {cursor && (
              <button type="button" class="more" onClick={more}>
                Load more
              </button>
            )}
          </div>
          {selected && <MessageDetails message={selected} onClose={() => setSelected(null)} />}
        </div>
      )}
    </section>
  );
}

function MessageDetails({ message: m, onClose }: { message: EmailMessage; onClose: () => void }) {
  const people = (list: { name: string; email: string }[]) => list.map((p) => p.name || p.email).join(', ');
  return (
    <aside class="details" aria-labelledby="message-title" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div class="details-head">
        <h3 id="message-title">{m.subject || '(no subject)'}</h3>
        <button type="button" class="ghost" onClick={onClose} aria-label="Close the message">
          ×
        </button>
      </div>
      <dl>
        <dt>From</dt>
        <dd>{m.from ? `${m.from.name} <${m.from.email}>` : '—'}</dd>
        <dt>To</dt>
        <dd>{people(m.to) || '—'}</dd>
        {m.cc.length > 0 && (
          <>
            <dt>Cc</dt>
            <dd>{people(m.cc)}</dd>
          </>
        )}
        <dt>Received</dt>
        <dd>{formatDateTime(m.received_at)}</dd>
      </dl>
      <p class="description">{m.body_preview}</p>
      {m.web_link && (
        <p>
          <a href={m.web_link} target="_blank" rel="noreferrer">
            Open in Outlook
          </a>
        </p>
      )}
    </aside>
  );
}
