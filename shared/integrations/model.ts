import { z } from 'zod';
import { providerSchema, syncTypeSchema } from '../providers.js';

export const integrationStatusSchema = z.enum(['active', 'reauth_required', 'error', 'disconnected']);
export type IntegrationStatus = z.infer<typeof integrationStatusSchema>;

export const lastSyncSchema = z.object({
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  sync_type: syncTypeSchema,
  job_id: z.string(),
  queued_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  items_upserted: z.number().int().nonnegative(),
  items_deleted: z.number().int().nonnegative(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type LastSync = z.infer<typeof lastSyncSchema>;

/** Why an integration left `active`, shown to the SPA so it can say what to do. */
export const statusReasonSchema = z.object({ code: z.string(), message: z.string(), at: z.string() });
export type StatusReason = z.infer<typeof statusReasonSchema>;

/** An integration as the app works with it. Rows are parsed into this at the storage edge. */
export interface Integration {
  id: string;
  userKey: string;
  provider: z.infer<typeof providerSchema>;
  status: IntegrationStatus;
  account: { email: string; displayName: string; tenantId: string };
  /** Microsoft's object id of the connected account: how a reconnect finds the same integration. */
  microsoftUserId: string;
  /** MSAL's home account id, to pick the account out of the token cache. */
  homeAccountId: string;
  scopes: string[];
  createdAt: string;
  updatedAt: string;
  lastSync: LastSync | null;
  nextSyncAt: string;
  statusReason: StatusReason | null;
  /** The sync job holding this integration's lease, and until when: one sync at a time. */
  lease: { owner: string; until: string } | null;
  etag?: string;
}

/** The API shape of an integration (API.md). */
export function integrationView(integration: Integration) {
  const last = integration.lastSync;
  return {
    id: integration.id,
    provider: integration.provider,
    status: integration.status,
    account: { email: integration.account.email, display_name: integration.account.displayName, tenant_id: integration.account.tenantId },
    scopes: integration.scopes,
    created_at: integration.createdAt,
    last_sync: last
      ? {
          status: last.status,
          sync_type: last.sync_type,
          started_at: last.started_at,
          finished_at: last.finished_at,
          items_upserted: last.items_upserted,
          items_deleted: last.items_deleted,
          error: last.error,
        }
      : null,
    next_sync_at: integration.nextSyncAt,
    status_reason: integration.statusReason ? { code: integration.statusReason.code, message: integration.statusReason.message } : null,
  };
}
