import { useEffect, useState } from 'preact/hooks';
import { unwrap, type Api, type EmailMessage, type Integration } from '../api/client';
import { supports, type Capabilities } from '../api/capabilities';
import type { NewMessage, OptionalApi } from '../api/optional';
import type { ApiError } from '../api/problem';
import { startConnect } from './connect';
import { ErrorBanner } from './ErrorBanner';
import { formatDateTime } from './format';

interface Props {
  api: Api;
  caps: Capabilities;
  optional: OptionalApi;
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
export function MailList({ api, caps, optional, integrations, version }: Props) {
  const [composing, setComposing] = useState<NewMessage | null>(null);
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
        {supports(caps, 'sendMail') && outlook.length > 0 && (
          <button
            type="button"
            class="primary"
            onClick={() => (setSelected(null), setComposing({ to: [], subject: '', body: '' }))}
          >
            Compose
          </button>
        )}
      </div>
      <ErrorBanner
        error={error}
        onDismiss={() => setError(null)}
        onUpgrade={() =>
          void startConnect(api, 'microsoft_outlook', {
            access: 'read_write',
            loginHint: outlook[0]?.account.email,
          }).catch(setError)
        }
      />
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
          {selected && (
            <MessageDetails
              message={selected}
              onClose={() => setSelected(null)}
              onMarkRead={
                supports(caps, 'updateMessage')
                  ? (isRead) =>
                      optional
                        .markRead(selected.integration_id, selected.id, isRead)
                        .then(
                          (m) => (setSelected(m), setMessages((messages ?? []).map((x) => (x.id === m.id ? m : x)))),
                        )
                        .catch(setError)
                  : undefined
              }
              onReply={
                supports(caps, 'sendMail')
                  ? () =>
                      setComposing({
                        to: selected.from ? [{ email: selected.from.email }] : [],
                        subject: `Re: ${selected.subject}`,
                        body: '',
                        reply_to_message_id: selected.id,
                      })
                  : undefined
              }
            />
          )}
          {composing && outlook[0] && (
            <Compose
              draft={composing}
              onClose={() => setComposing(null)}
              onSend={(m) =>
                optional
                  .send(outlook[0]!.id, m)
                  .then(() => setComposing(null))
                  .catch(setError)
              }
            />
          )}
        </div>
      )}
    </section>
  );
}

function MessageDetails(props: {
  message: EmailMessage;
  onClose: () => void;
  onMarkRead?: (isRead: boolean) => void;
  onReply?: () => void;
}) {
  const { message: m, onClose } = props;
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
      {(props.onMarkRead || props.onReply) && (
        <div class="actions">
          {props.onReply && (
            <button type="button" onClick={props.onReply}>
              Reply
            </button>
          )}
          {props.onMarkRead && (
            <button type="button" onClick={() => props.onMarkRead?.(!m.is_read)}>
              {m.is_read ? 'Mark as unread' : 'Mark as read'}
            </button>
          )}
        </div>
      )}
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

function Compose(props: { draft: NewMessage; onSend: (m: NewMessage) => Promise<unknown>; onClose: () => void }) {
  const [to, setTo] = useState(props.draft.to.map((r) => r.email).join(', '));
  const [subject, setSubject] = useState(props.draft.subject);
  const [body, setBody] = useState(props.draft.body);
  const [sending, setSending] = useState(false);
  const value = (e: Event) => (e.target as HTMLInputElement).value;
  return (
    <aside class="details" aria-labelledby="compose-title">
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          setSending(true);
          const recipients = to
            .split(',')
            .map((a) => a.trim())
            .filter(Boolean)
            .map((email) => ({ email }));
          void props.onSend({ ...props.draft, to: recipients, subject, body }).finally(() => setSending(false));
        }}
      >
        <div class="details-head">
          <h3 id="compose-title">{props.draft.reply_to_message_id ? 'Reply' : 'New message'}</h3>
          <button type="button" class="ghost" onClick={props.onClose} aria-label="Close the message form">
            ×
          </button>
        </div>
        <label>
          To <input required value={to} onInput={(e) => setTo(value(e))} />
        </label>
        <label>
          Subject <input value={subject} onInput={(e) => setSubject(value(e))} />
        </label>
        <label>
          Message <textarea rows={8} value={body} onInput={(e) => setBody(value(e))} />
        </label>
        <button type="submit" class="primary" disabled={sending}>
          Send
        </button>
      </form>
    </aside>
  );
}
