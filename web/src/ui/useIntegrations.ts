import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { allPages, unwrap, type Api, type Integration } from '../api/client';
import type { ApiError } from '../api/problem';

// A new connection's first sync is queued before its first last_sync is written: busy too.
const busy = (i: Integration) =>
  i.last_sync === null ? i.status === 'active' : i.last_sync.status === 'queued' || i.last_sync.status === 'running';

/**
 * The caller's integrations, polled: every 1.5 s while a sync is queued or running (live progress),
 * every 15 s otherwise. `version` changes whenever a sync finishes, so the views reload their data.
 */
export function useIntegrations(api: Api) {
  const [integrations, setIntegrations] = useState<Integration[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [version, setVersion] = useState(0);
  const finished = useRef('');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const stopped = useRef(false);

  const load = useCallback(async () => {
    try {
      const list = await allPages((cursor) =>
        unwrap(api.GET('/integrations', { params: { query: { limit: '100', ...(cursor ? { cursor } : {}) } } })),
      );
      setIntegrations(list);
      setError(null);
      const marker = list.map((i) => `${i.id}:${i.last_sync?.finished_at ?? ''}`).join('|');
      if (marker !== finished.current) {
        finished.current = marker;
        setVersion((v) => v + 1);
      }
      return list;
    } catch (e) {
      setError(e as ApiError);
      return null;
    }
  }, [api]);

  // Every refresh (the timer's or after an action) schedules the next one from what it saw.
  const refresh = useCallback(async () => {
    clearTimeout(timer.current);
    const list = await load();
    if (!stopped.current) {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void refresh(), list?.some(busy) ? 1500 : 15000);
    }
    return list;
  }, [load]);

  useEffect(() => {
    stopped.current = false;
    void refresh();
    return () => {
      stopped.current = true;
      clearTimeout(timer.current);
    };
  }, [refresh]);

  return { integrations, error, version, refresh, setError };
}
export type IntegrationsState = ReturnType<typeof useIntegrations>;
