import { z } from 'zod';

/**
 * `POST /_sim/notifications` (every user) and `POST /_sim/users/{email}/notifications` (one user,
 * over the global ones): how the simulator delivers change and lifecycle notifications. Each POST
 * replaces that level's set; what neither level sets takes the default below.
 */
export const notificationSettingsSchema = z
  .object({
    /** Wait before a notification is first posted (default 50 ms; 0 allowed). */
    delay_ms: z.number().int().min(0).max(600_000).optional(),
    /** Up to this much more, at random (seeded): deliveries overtake each other. */
    jitter_ms: z.number().int().min(0).max(600_000).optional(),
    /** Every change notification is delivered this many times, each in its own POST (default 1). */
    duplicates: z.number().int().min(1).max(10).optional(),
    /** Notifications to one URL within this window are posted together in one batch (default 0: none). */
    batch_window_ms: z.number().int().min(0).max(60_000).optional(),
    /** Shuffle each batch (seeded), so notifications arrive out of order. */
    reorder: z.boolean().optional(),
    /**
     * Multiplies the retry back-off and its 4-hour window (and a throttled endpoint's 10-minute
     * delay): 0.001 runs Graph's 4 hours in 14.4 s. Default 1.
     */
    retry_time_scale: z.number().min(0.00001).max(1).optional(),
    /** Send reauthorizationRequired by itself ahead of expiry, as Graph does (default true). */
    auto_reauthorization: z.boolean().optional(),
    /** How long before expiry that reauthorizationRequired goes out (default 3600 s). */
    reauthorization_lead_s: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 3600)
      .optional(),
    /** The validation handshake's limit (default Graph's 10,000 ms). */
    handshake_timeout_ms: z.number().int().min(100).max(10_000).optional(),
    /** A body for the handshake POST (Graph sends none); to test endpoints that must not parse it. */
    handshake_body: z.string().max(10_000).optional(),
    /**
     * Graph's slow-endpoint throttling: `auto` (default) flags an endpoint once ≥ 10 % of its last
     * 100+ answers in a 10-minute window took over 2,900 ms (deliveries then wait 10 minutes) and
     * drops its notifications at ≥ 15 %; `off` never throttles; `slow` and `drop` force the state.
     */
    throttling: z.enum(['auto', 'off', 'slow', 'drop']).optional(),
  })
  .strict();

export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;
export type EffectiveSettings = Required<Omit<NotificationSettings, 'handshake_body'>> & {
  handshake_body?: string;
};

export const DEFAULT_SETTINGS: EffectiveSettings = {
  delay_ms: 50,
  jitter_ms: 0,
  duplicates: 1,
  batch_window_ms: 0,
  reorder: false,
  retry_time_scale: 1,
  auto_reauthorization: true,
  reauthorization_lead_s: 3600,
  handshake_timeout_ms: 10_000,
  throttling: 'auto',
};

/** The global settings and each user's, merged on read. */
export class DeliverySettings {
  private global: NotificationSettings = {};
  private readonly perUser = new Map<string, NotificationSettings>();

  get(userId?: string): NotificationSettings {
    return userId === undefined ? { ...this.global } : { ...(this.perUser.get(userId) ?? {}) };
  }

  set(settings: NotificationSettings, userId?: string): void {
    if (userId === undefined) this.global = { ...settings };
    else this.perUser.set(userId, { ...settings });
  }

  clear(userId?: string): void {
    if (userId === undefined) this.global = {};
    else this.perUser.delete(userId);
  }

  effective(userId: string): EffectiveSettings {
    const merged = { ...DEFAULT_SETTINGS, ...strip(this.global), ...strip(this.perUser.get(userId) ?? {}) };
    return merged;
  }
}

const strip = (o: NotificationSettings): NotificationSettings =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as NotificationSettings;
