import { z } from 'zod';
import {
  api,
  capText,
  type ApiField,
  type Field,
  column,
  fieldTable,
  group,
  instantResponse,
  json,
  readOnly,
  text,
} from '../items/field-table.js';
import { jsonColumn } from '../items/json-column.js';
import { EMAIL_CAP, NAME_CAP } from '../items/people.js';
import { accessSchema, providerSchema, syncTypeSchema, type Access } from '../providers.js';

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

/** Real time (Graph change notifications) of an integration: API.md "Change notifications". */
export const realtimeStatusSchema = z.enum(['off', 'pending', 'active', 'degraded']);
export type RealtimeStatus = z.infer<typeof realtimeStatusSchema>;
export const realtimeStateSchema = z.object({
  status: realtimeStatusSchema,
  /** Why `degraded` (a Graph status or error code and a safe message); null otherwise. */
  reason: statusReasonSchema.nullable(),
  /** The live subscription of each stream (stream key → Graph subscription id and its expiry). */
  subscriptions: z.record(z.string(), z.object({ id: z.string(), expiresAt: z.string() })),
  /** Consecutive failed creations or renewals: `degraded` after a few (shared/realtime/state.ts). */
  failures: z.number().int().nonnegative(),
});
export type RealtimeState = z.infer<typeof realtimeStateSchema>;
export const REALTIME_OFF: RealtimeState = { status: 'off', reason: null, subscriptions: {}, failures: 0 };

/**
 * Notifications that arrived while a sync ran: exactly one follow-up round when it ends
 * (`since`: the earliest receipt among them, for the latency metric).
 */
export const followUpSchema = z.object({ sync_type: syncTypeSchema, since: z.string() }).nullable();
export type FollowUp = z.infer<typeof followUpSchema>;

/** The integration's real-time state (`off` for rows from before real time). */
export const realtimeOf = (integration: { realtime?: RealtimeState | undefined }): RealtimeState =>
  integration.realtime ?? REALTIME_OFF;

/** The earliest expiry among the subscriptions, or null. */
export function earliestExpiry(state: RealtimeState): string | null {
  const all = Object.values(state.subscriptions).map((s) => s.expiresAt);
  return all.length === 0 ? null : all.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
}

/** A field whose column is written only when it has a value: a row from before it existed stays as it was. */
function absentable<T, A extends ApiField<string, z.ZodType, T | undefined> | undefined>(
  field: Field<T | undefined, A>,
): Field<T | undefined, A> {
  return { ...field, write: (value, key) => (value === undefined ? {} : field.write(value, key)) };
}

const problem = z.strictObject({ code: z.string(), message: z.string() });
const capMessage = <T extends { message: string }>(p: T): T => ({ ...p, message: capText(p.message, 2_000) });
const asIs = (v: string) => v;
type Account = { email: string; displayName: string; tenantId: string };

/**
 * The integration's field table: stored columns (PartitionKey = the caller's user key, RowKey =
 * the integration id), their caps, and the API fields (API.md). Column names are those of
 * existing rows.
 */
export const integrationFields = {
  id: text(64, api('id', z.uuid()), 'rowKey'),
  userKey: text(128, undefined, 'partitionKey'),
  provider: column(providerSchema, asIs, 64, api('provider', providerSchema)),
  status: column(
    integrationStatusSchema,
    asIs,
    64,
    api(
      'status',
      integrationStatusSchema.meta({
        description: '`reauth_required`: Microsoft no longer accepts the connection; run the connect flow again.',
      }),
    ),
  ),
  account: group(
    { accountEmail: z.string(), accountName: z.string(), accountTenantId: z.string() },
    (c) => ({ email: String(c.accountEmail), displayName: String(c.accountName), tenantId: String(c.accountTenantId) }),
    (a: Account) => ({
      accountEmail: capText(a.email, EMAIL_CAP),
      accountName: capText(a.displayName, NAME_CAP),
      accountTenantId: capText(a.tenantId, 64),
    }),
    EMAIL_CAP + NAME_CAP + 64,
    api(
      'account',
      z.strictObject({ email: z.string(), display_name: z.string(), tenant_id: z.string() }),
      (a: Account) => ({
        email: a.email,
        display_name: a.displayName,
        tenant_id: a.tenantId,
      }),
    ),
  ),
  /** Microsoft's object id of the connected account: how a reconnect finds the same integration. */
  microsoftUserId: text(64),
  /** MSAL's home account id, to pick the account out of the token cache. */
  homeAccountId: text(256),
  scopes: json(z.array(z.string()), 4_000, (s) => s, api('scopes', z.array(z.string()))),
  /**
   * The access level the user connected with. Optional in the type: rows (and integrations built)
   * from before access levels lack it, and read as `read` (accessOf).
   */
  access: absentable(
    column(
      accessSchema.optional(),
      (v: Access | undefined) => v ?? null,
      16,
      api(
        'access',
        accessSchema.meta({ description: '`read_write` allows the write endpoints (API.md "Writes").' }),
        (v: Access | undefined) => v ?? 'read',
      ),
    ),
  ),
  /** Whether the user asked for the calendars others share with them (`shared_calendars: true`); absent: no. */
  sharedCalendars: absentable(column(z.boolean().optional(), (v: boolean | undefined) => v ?? null, 0)),
  createdAt: column(z.string(), asIs, 32, api('created_at', instantResponse)),
  updatedAt: text(32),
  lastSync: json(
    lastSyncSchema.nullable(),
    4_000,
    (l) => l && { ...l, error: l.error && capMessage(l.error) },
    api(
      'last_sync',
      z
        .strictObject({
          status: lastSyncSchema.shape.status,
          sync_type: syncTypeSchema,
          started_at: instantResponse.nullable(),
          finished_at: instantResponse.nullable(),
          items_upserted: z.number().int().nonnegative(),
          items_deleted: z.number().int().nonnegative(),
          error: problem.nullable(),
        })
        .nullable(),
      (last: LastSync | null) =>
        last && {
          status: last.status,
          sync_type: last.sync_type,
          started_at: last.started_at,
          finished_at: last.finished_at,
          items_upserted: last.items_upserted,
          items_deleted: last.items_deleted,
          error: last.error,
        },
    ),
  ),
  nextSyncAt: column(z.string(), asIs, 32, api('next_sync_at', instantResponse)),
  /** Why an integration left `active`, shown to the SPA so it can say what to do. */
  statusReason: json(
    statusReasonSchema.nullable(),
    4_000,
    (r) => r && capMessage(r),
    api(
      'status_reason',
      problem.nullable().meta({
        description:
          'Why the integration left `active` (e.g. the AADSTS code of a refused refresh token); null while active.',
      }),
      (r: StatusReason | null) => r && { code: r.code, message: r.message },
    ),
  ),
  /** The sync job holding this integration's lease, and until when: one sync at a time. Older rows lack it. */
  lease: column(
    jsonColumn(z.object({ owner: z.string(), until: z.string() }).nullable())
      .optional()
      .transform((v) => v ?? null),
    (v: { owner: string; until: string } | null) => JSON.stringify(v),
    500,
  ),
  /**
   * Graph change notifications: status, why degraded, the subscriptions per stream. Older rows (and
   * records built before real time existed) lack it: read as `off` (see {@link realtimeOf}).
   */
  realtime: column(
    jsonColumn(realtimeStateSchema)
      .optional()
      .transform((v) => v ?? REALTIME_OFF) as z.ZodType<RealtimeState | undefined>,
    (v: RealtimeState | undefined) => JSON.stringify(v ?? REALTIME_OFF),
    8_000,
    api(
      'realtime',
      z
        .strictObject({
          status: realtimeStatusSchema,
          expires_at: instantResponse.nullable(),
          reason: problem.nullable(),
        })
        .meta({
          description:
            '`off` without WEBHOOK_BASE_URL; `pending` until Microsoft accepted every subscription; `active` ' +
            'while all are alive (`expires_at`: the earliest expiry); `degraded` when one could not be ' +
            'created or renewed (`reason`; polling then runs at the normal cadence and the app keeps retrying).',
        }),
      (v: RealtimeState | undefined) => {
        const r = v ?? REALTIME_OFF;
        const expiry = earliestExpiry(r);
        return {
          status: r.status,
          expires_at: expiry && new Date(Date.parse(expiry)).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          reason: r.reason && { code: r.reason.code, message: r.reason.message },
        };
      },
    ),
  ),
  /** A follow-up round owed to notifications that arrived during a running sync. Older rows lack it. */
  followUp: column(
    jsonColumn(followUpSchema)
      .optional()
      .transform((v) => v ?? null) as z.ZodType<FollowUp | undefined>,
    (v: FollowUp | undefined) => JSON.stringify(v ?? null),
    200,
  ),
  /** Set by Table Storage on every write; never written as a column. */
  etag: readOnly(z.string().optional()),
};
export const integrationTable = fieldTable(integrationFields);

/** Parses an integration row (as listed or read, with its ETag) at the storage edge. */
export const integrationRowSchema = z
  .object(integrationTable.shape)
  .transform((columns) => integrationTable.read(columns));

/** An integration as the app works with it. Rows are parsed into this at the storage edge. */
export type Integration = z.infer<typeof integrationRowSchema>;

/** The integration's access level; one stored before access levels existed is `read`. */
export const accessOf = (integration: Pick<Integration, 'access'>): Access => integration.access ?? 'read';

/** The API shape of an integration (API.md). */
export function integrationView(integration: Integration) {
  return integrationTable.view(integration);
}
