import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createApi, type Api, type Integration } from '../api/client';
import { loadCapabilities, type Capabilities } from '../api/capabilities';
import { createOptionalApi } from '../api/optional';
import type { ApiError } from '../api/problem';
import { restoreDemoSession } from '../auth/demo';
import { restoreEntraSession } from '../auth/entra';
import type { Session } from '../auth/session';
import { entra } from '../config';
import { finishConnect } from './connect';
import { ErrorBanner } from './ErrorBanner';
import { Integrations } from './Integrations';
import { MailList } from './MailList';
import { SignIn } from './SignIn';
import { useIntegrations } from './useIntegrations';
import { WeekView } from './WeekView';

export function App() {
  const [boot, setBoot] = useState<{ session: Session | null; caps: Capabilities } | null>(null);
  useEffect(() => {
    void Promise.all([
      loadCapabilities(),
      entra ? restoreEntraSession(entra) : Promise.resolve(restoreDemoSession()),
    ]).then(([caps, session]) => setBoot({ caps, session }));
  }, []);
  if (!boot) return <p class="loading">Loading…</p>;
  if (!boot.session) return <SignIn onSignedIn={(session) => setBoot({ ...boot, session })} />;
  return (
    <Workspace
      session={boot.session}
      caps={boot.caps}
      onSignOut={() => void boot.session?.signOut().then(() => setBoot({ ...boot, session: null }))}
    />
  );
}

const TABS = [
  { id: 'accounts', label: 'Accounts' },
  { id: 'calendar', label: 'Calendar' },
  { id: 'mail', label: 'Mail' },
] as const;
type Tab = (typeof TABS)[number]['id'];

function Workspace({ session, caps, onSignOut }: { session: Session; caps: Capabilities; onSignOut: () => void }) {
  const api: Api = useMemo(() => createApi(session.token), [session]);
  const optional = useMemo(() => createOptionalApi(session.token), [session]);
  const state = useIntegrations(api);
  const [tab, setTab] = useState<Tab>(() => TABS.find((t) => t.id === location.hash.slice(1))?.id ?? 'accounts');
  const [notice, setNotice] = useState<string | null>(null);
  const [callbackError, setCallbackError] = useState<ApiError | null>(null);
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});

  // Back from Microsoft on /oauth/callback: post code and state, then show the accounts.
  useEffect(() => {
    if (location.pathname !== '/oauth/callback') return;
    const query = new URLSearchParams(location.search);
    history.replaceState(null, '', '/#accounts'); // the code leaves the address bar and the history at once
    setTab('accounts');
    finishConnect(api, query)
      .then((i: Integration) => {
        setNotice(`Connected ${i.account.email}. The first sync has started.`);
        return state.refresh();
      })
      .catch((e: ApiError) => setCallbackError(e));
  }, []);

  useEffect(() => {
    if (location.pathname !== '/oauth/callback') history.replaceState(null, '', `/#${tab}`);
    if (tab !== 'accounts') setNotice(null);
  }, [tab]);

  // Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation).
  const onTabKey = (e: KeyboardEvent) => {
    const focused = (e.target as HTMLElement).id.replace(/^tab-/, '');
    const i = TABS.findIndex((t) => t.id === focused);
    const next =
      e.key === 'ArrowRight'
        ? i + 1
        : e.key === 'ArrowLeft'
          ? i - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? TABS.length - 1
              : null;
    if (next === null) return;
    e.preventDefault();
    const target = TABS[(next + TABS.length) % TABS.length]!;
    setTab(target.id);
    tabRefs.current[target.id]?.focus();
  };

  const integrations = state.integrations ?? [];
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">
          <span class="logo" aria-hidden="true" /> Integrato
        </span>
        <nav aria-label="Views">
          <div role="tablist" aria-label="Views" class="tabs" onKeyDown={onTabKey}>
            {TABS.map((t) => (
              <button
                type="button"
                role="tab"
                key={t.id}
                id={`tab-${t.id}`}
                ref={(el) => void (tabRefs.current[t.id] = el)}
                aria-selected={tab === t.id}
                aria-controls="view"
                tabIndex={tab === t.id ? 0 : -1}
                onClick={() => setTab(t.id)}
              >
                {t.label}
              </button>
            ))}
          </div>
        </nav>
        <span class="who">
          {session.mode === 'demo' && <span class="badge demo">demo</span>}
          <span class="muted">{session.user.email}</span>
          <button type="button" class="ghost" onClick={onSignOut}>
            Sign out
          </button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        <div role="tabpanel" id="view" aria-labelledby={`tab-${tab}`}>
          {notice && (
            <p class="notice" role="status">
              {notice}{' '}
              <button type="button" class="ghost" onClick={() => setNotice(null)} aria-label="Dismiss">
                ×
              </button>
            </p>
          )}
          <ErrorBanner error={callbackError} onDismiss={() => setCallbackError(null)} />
          {tab === 'accounts' && <Integrations api={api} caps={caps} state={state} loginHint={session.user.email} />}
          {tab !== 'accounts' && state.integrations === null && <p class="loading">Loading…</p>}
          {tab === 'calendar' && state.integrations !== null && (
            <WeekView api={api} caps={caps} optional={optional} integrations={integrations} version={state.version} />
          )}
          {tab === 'mail' && state.integrations !== null && (
            <MailList api={api} caps={caps} optional={optional} integrations={integrations} version={state.version} />
          )}
        </div>
      </main>
    </>
  );
}
