import { describe, expect, it } from 'vitest';
import type { Integration, LastSync } from '../../shared/integrations/model.js';
import { STALE_QUEUED_MS, syncInFlight } from '../../shared/integrations/lifecycle.js';

const now = new Date('2026-03-01T12:00:00.000Z');
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();

function integration(lastSync: Partial<LastSync> | null, lease: Integration['lease'] = null): Integration {
  return {
    id: 'i1',
    userKey: 'u1',
    provider: 'microsoft_calendar',
    status: 'active',
    account: { email: 'a@contoso.example', displayName: 'A', tenantId: 't' },
    microsoftUserId: 'm',
    homeAccountId: 'h',
    scopes: [],
    createdAt: at(-86_400_000),
    updatedAt: at(-1),
    lastSync: lastSync && {
      status: 'queued',
      sync_type: 'calendar',
      job_id: 'j1',
      queued_at: at(-1_000),
      started_at: null,
      finished_at: null,
      items_upserted: 0,
      items_deleted: 0,
      error: null,
      ...lastSync,
    },
    nextSyncAt: at(0),
    statusReason: null,
    lease,
  };
}

describe('syncInFlight', () => {
  it('is false when nothing was ever queued, or the last sync finished', () => {
    expect(syncInFlight(integration(null), now)).toBe(false);
    expect(syncInFlight(integration({ status: 'succeeded', finished_at: at(-5) }), now)).toBe(false);
    expect(syncInFlight(integration({ status: 'failed', finished_at: at(-5) }), now)).toBe(false);
  });

  it('a queued job blocks a second one while it is fresh', () => {
    expect(syncInFlight(integration({ status: 'queued', queued_at: at(-1_000) }), now)).toBe(true);
    expect(syncInFlight(integration({ status: 'queued', queued_at: at(-STALE_QUEUED_MS + 1) }), now)).toBe(true);
  });

  it('a queued job that never started stops blocking once it is stale (lost message, crashed enqueue)', () => {
    expect(STALE_QUEUED_MS).toBe(15 * 60 * 1000);
    expect(syncInFlight(integration({ status: 'queued', queued_at: at(-STALE_QUEUED_MS) }), now)).toBe(false);
    expect(syncInFlight(integration({ status: 'queued', queued_at: at(-STALE_QUEUED_MS - 60_000) }), now)).toBe(false);
  });

  it('a running job blocks only while its lease is live', () => {
    const running = { status: 'running' as const, started_at: at(-10_000) };
    expect(syncInFlight(integration(running, { owner: 'j1', until: at(30_000) }), now)).toBe(true);
    expect(syncInFlight(integration(running, { owner: 'j1', until: at(0) }), now)).toBe(false);
    expect(syncInFlight(integration(running, { owner: 'j1', until: at(-1) }), now)).toBe(false);
    expect(syncInFlight(integration(running, null), now)).toBe(false);
  });

  it('a running job with a dead lease is not rescued by a fresh queued_at', () => {
    const running = { status: 'running' as const, queued_at: at(-1_000) };
    expect(syncInFlight(integration(running, { owner: 'j1', until: at(-1) }), now)).toBe(false);
  });
});
