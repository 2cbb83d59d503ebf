import { useState } from 'preact/hooks';
import { unwrap, type Api, type Integration, type Provider } from '../api/client';
import type { Capabilities } from '../api/capabilities';
import type { ApiError } from '../api/problem';
import { startConnect } from './connect';
import { ErrorBanner } from './ErrorBanner';
import { formatDateTime, relative } from './format';
import type { IntegrationsState } from './useIntegrations';

const PROVIDERS: { provider: Provider; name: string; what: string; sync: 'calendar' | 'email' }[] = [
  { provider: 'microsoft_calendar', name: 'Microsoft Calendar', what: 'events', sync: 'calendar' },
  { provider: 'microsoft_outlook', name: 'Outlook mail', what: 'messages', sync: 'email' },
];

interface Props {
  api: Api;
  caps: Capabilities;
  state: IntegrationsState;
  loginHint: string;
}

/** One card per provider: connect, live sync status, reconnect on reauth_required, sync now, disconnect. */
export function Integrations({ api, caps, state, loginHint }: Props) {
  const [error, setError] = useState<ApiError | null>(null);
  // The access choice appears once the API documents it (API.md "Access"; wr-events' issue 14).
  const accessChoice = caps.hasField('OAuthInitiateRequest', 'access');
  const act = (fn: () => Promise<unknown>) => () =>
    void fn()
      .then(() => state.refresh())
      .catch((e: ApiError) => setError(e));

  return (
    <section aria-labelledby="integrations-title">
      <h2 id="integrations-title">Connected accounts</h2>
      <ErrorBanner error={error ?? state.error} onDismiss={() => (setError(null), state.setError(null))} />
      <div class="cards">
        {PROVIDERS.map((p) => {
          const mine = (state.integrations ?? []).filter((i) => i.provider === p.provider);
          return (
            <article class="card" key={p.provider} aria-label={p.name} data-provider={p.provider}>
              <header class="card-head">
                <span class={`provider-icon ${p.sync}`} aria-hidden="true" />
                <h3>{p.name}</h3>
              </header>
              {state.integrations === null ? (
                <p class="muted">Loading…</p>
              ) : mine.length === 0 ? (
                <ConnectForm
                  provider={p.provider}
                  what={p.what}
                  accessChoice={accessChoice}
                  onConnect={(access) => act(() => startConnect(api, p.provider, { loginHint, access }))()}
                />
              ) : (
                mine.map((i) => (
                  <IntegrationCard
                    key={i.id}
                    integration={i}
                    what={p.what}
                    onSync={act(() =>
                      unwrap(
                        api.POST('/integrations/{id}/sync', {
                          params: { path: { id: i.id } },
                          body: { sync_type: 'full' },
                        }),
                      ),
                    )}
                    onReconnect={act(() =>
                      startConnect(api, p.provider, {
                        loginHint: i.account.email,
                        ...(accessChoice ? { access: accessOf(i) } : {}),
                      }),
                    )}
                    onDisconnect={act(() =>
                      unwrap(api.DELETE('/integrations/{id}', { params: { path: { id: i.id } } })),
                    )}
                  />
                ))
              )}
            </article>
          );
        })}
      </div>
    </section>
  );
}

const accessOf = (i: Integration) => (i as { access?: 'read' | 'read_write' }).access ?? 'read';

function ConnectForm(props: {
  provider: Provider;
  what: string;
  accessChoice: boolean;
  onConnect: (access?: 'read' | 'read_write') => void;
}) {
  const [access, setAccess] = useState<'read' | 'read_write'>('read');
  return (
    <div class="connect">
      <p class="muted">Not connected. Connect a Microsoft account to sync its {props.what}.</p>
      {props.accessChoice && (
        <fieldset class="access">
          <legend>Access</legend>
          {(['read', 'read_write'] as const).map((a) => (
            <label key={a}>
              <input
                type="radio"
                name={`access-${props.provider}`}
                value={a}
                checked={access === a}
                onChange={() => setAccess(a)}
              />{' '}
              {a === 'read' ? 'Read only' : 'Read and write'}
            </label>
          ))}
        </fieldset>
      )}
      <button type="button" class="primary" onClick={() => props.onConnect(props.accessChoice ? access : undefined)}>
        Connect
      </button>
    </div>
  );
}

const STATUS_TEXT: Record<Integration['status'], string> = {
  active: 'Active',
  reauth_required: 'Reconnect needed',
  error: 'Sync failing',
  disconnected: 'Disconnected',
};

function IntegrationCard(props: {
  integration: Integration;
  what: string;
  onSync: () => void;
  onReconnect: () => void;
  onDisconnect: () => void;
}) {
  const i = props.integration;
  const [confirming, setConfirming] = useState(false);
  const sync = i.last_sync;
  const running = sync?.status === 'queued' || sync?.status === 'running';
  const realtime = (i as { realtime?: { status: string } }).realtime;
  return (
    <div class="integration" data-integration-id={i.id} data-status={i.status}>
      <p class="account">
        <strong>{i.account.display_name}</strong> <span class="muted">{i.account.email}</span>
      </p>
      <p>
        <span class={`badge ${i.status}`}>{STATUS_TEXT[i.status]}</span>
        {realtime && <span class={`badge realtime-${realtime.status}`}>real time: {realtime.status}</span>}
      </p>
      {i.status_reason && <p class="muted small">{i.status_reason.message}</p>}
      <dl class="sync" aria-live="polite">
        <dt>Last sync</dt>
        <dd data-sync-status={sync?.status ?? 'none'}>
          {!sync ? (
            'not yet'
          ) : running ? (
            <>
              <span class="spinner" aria-hidden="true" /> {sync.status === 'queued' ? 'Queued…' : 'Syncing…'}{' '}
              {sync.items_upserted > 0 && `${sync.items_upserted} ${props.what} so far`}
            </>
          ) : sync.status === 'failed' ? (
            <>Failed: {sync.error?.message ?? 'unknown error'}</>
          ) : (
            <>
              {sync.items_upserted} {props.what} updated, {sync.items_deleted} removed ·{' '}
              <time dateTime={sync.finished_at ?? ''} title={formatDateTime(sync.finished_at)}>
                {relative(sync.finished_at)}
              </time>
            </>
          )}
        </dd>
        <dt>Next sync</dt>
        <dd>{relative(i.next_sync_at)}</dd>
      </dl>
      <div class="actions">
        {i.status === 'reauth_required' ? (
          <button type="button" class="primary" onClick={props.onReconnect}>
            Reconnect
          </button>
        ) : (
          <button type="button" onClick={props.onSync} disabled={running}>
            Sync now
          </button>
        )}
        {confirming ? (
          <>
            <button type="button" class="danger" onClick={props.onDisconnect}>
              Confirm disconnect
            </button>
            <button type="button" class="ghost" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" class="ghost danger-text" onClick={() => setConfirming(true)}>
            Disconnect
          </button>
        )}
      </div>
    </div>
  );
}
