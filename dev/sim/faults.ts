import { z } from 'zod';
import { graphError, injectedStatus, mailboxConcurrency, subscriptionRefused, throttled } from './graph-errors.js';
import type { GraphResponse } from './contract.js';
import type { SimResponse } from './http.js';
import { seededRandom } from './rng.js';

/** `POST /_sim/faults`: the whole fault set (it replaces the previous one). */
export const faultSettingsSchema = z
  .object({
    throttle_share: z.number().min(0).max(1).optional(),
    retry_after_s: z.number().min(0).max(3600).optional(),
    status: z.number().int().min(400).max(599).optional(),
    next_n: z.number().int().min(1).max(1_000_000).optional(),
    latency_ms: z.number().int().min(0).max(60_000).optional(),
    expire_delta_tokens: z.boolean().optional(),
    mailbox_concurrency_limit: z.number().int().min(1).max(1000).optional(),
    // Links a hostile or broken Graph could send on delta pages (the client must never follow them).
    /** Every delta page answers this @odata.nextLink (and no deltaLink). */
    next_link: z.string().min(1).max(4000).optional(),
    /** The delta page that ends a round answers this @odata.deltaLink. */
    delta_link: z.string().min(1).max(4000).optional(),
    /** Every delta page's @odata.nextLink is the page's own URL: a round that never ends. */
    cyclic_next_link: z.boolean().optional(),
    /**
     * `POST /v1.0/subscriptions` of these users (e-mails; '*' for every user) is refused, as in
     * tenants that refuse subscriptions: 403 ExtensionError unless refuse_subscriptions_status says.
     */
    refuse_subscriptions_for: z
      .array(z.union([z.literal('*'), z.email().max(254)]))
      .max(1000)
      .optional(),
    refuse_subscriptions_status: z.number().int().min(400).max(599).optional(),
    /**
     * The next n sends (POST …/messages/{id}/send and /sendMail) are delivered, then answered
     * 504 Gateway Timeout: the outcome a client cannot tell from a failure (naive retries send again).
     */
    send_timeout_after_delivery: z.number().int().min(1).max(1000).optional(),
  })
  .strict()
  .refine((f) => f.next_n === undefined || f.status !== undefined, {
    message: 'next_n needs a status',
    path: ['next_n'],
  });

export type FaultSettings = z.infer<typeof faultSettingsSchema>;

const DEFAULT_RETRY_AFTER_S = 1;

/**
 * The faults injected into Graph requests (never identity or control requests). Deterministic:
 * setting faults restarts the throttling RNG from the simulator's seed, so the same request
 * sequence is throttled the same way on every run.
 */
export class Faults {
  private settings: FaultSettings = {};
  private remainingStatus: number | undefined;
  private remainingSendTimeouts = 0;
  private random: () => number;

  constructor(
    private readonly seed: number,
    private readonly expireDeltaTokens: () => void,
  ) {
    this.random = seededRandom(seed);
  }

  set(settings: FaultSettings): void {
    this.settings = { ...settings };
    this.remainingStatus = settings.next_n;
    this.remainingSendTimeouts = settings.send_timeout_after_delivery ?? 0;
    this.random = seededRandom(this.seed);
    // An action, not a standing fault: every delta token issued so far answers expired.
    if (settings.expire_delta_tokens) this.expireDeltaTokens();
  }

  clear(): void {
    this.set({});
  }

  /** The standing faults, with how many status answers are left. */
  describe(): FaultSettings & { remaining_status_answers?: number } {
    const { expire_delta_tokens: _action, ...standing } = this.settings;
    return this.remainingStatus === undefined
      ? standing
      : { ...standing, remaining_status_answers: this.remainingStatus };
  }

  /** A delta page's answer with the links the standing faults put in; other answers pass through. */
  rewriteLinks(answer: GraphResponse, requestUrl: URL): GraphResponse {
    const s = this.settings;
    const page = answer.body as Record<string, unknown> | undefined;
    const isDeltaPage = answer.status === 200 && /\/delta$/i.test(requestUrl.pathname) && Array.isArray(page?.value);
    if (!isDeltaPage || !page || (!s.next_link && !s.delta_link && !s.cyclic_next_link)) return answer;
    const { '@odata.nextLink': next, '@odata.deltaLink': delta, ...rest } = page;
    const nextLink = s.cyclic_next_link ? requestUrl.href : (s.next_link ?? next);
    const links = nextLink ? { '@odata.nextLink': nextLink } : { '@odata.deltaLink': s.delta_link ?? delta };
    return { ...answer, body: { ...rest, ...links } };
  }

  /** The refusal of a subscription creation by this user, or undefined. */
  refuseSubscription(
    method: string,
    pathname: string,
    email: string,
    clientRequestId?: string,
  ): SimResponse | undefined {
    const who = this.settings.refuse_subscriptions_for;
    if (method !== 'POST' || !/^\/v1\.0\/subscriptions\/?$/i.test(pathname) || !who) return undefined;
    if (!who.includes('*') && !who.some((e) => e.toLowerCase() === email.toLowerCase())) return undefined;
    return subscriptionRefused(this.settings.refuse_subscriptions_status ?? 403, clientRequestId);
  }

  /** A delivered send (202) answered 504 instead while send_timeout_after_delivery lasts. */
  afterSend(method: string, pathname: string, answer: SimResponse, clientRequestId?: string): SimResponse {
    const isSend = method === 'POST' && /\/(sendmail|messages\/[^/]+\/send)$/i.test(pathname);
    if (!isSend || answer.status !== 202 || this.remainingSendTimeouts <= 0) return answer;
    this.remainingSendTimeouts -= 1;
    return graphError(504, 'GatewayTimeout', 'The operation timed out.', clientRequestId);
  }

  get latencyMs(): number {
    return this.settings.latency_ms ?? 0;
  }

  /**
   * The fault answer for a Graph request, or undefined to let Graph answer. `inFlightBefore` is
   * how many requests for the same mailbox were already in flight when this one arrived.
   */
  decide(inFlightBefore: number, clientRequestId?: string): SimResponse | undefined {
    const s = this.settings;
    const retryAfter = s.retry_after_s ?? DEFAULT_RETRY_AFTER_S;
    if (s.mailbox_concurrency_limit !== undefined && inFlightBefore >= s.mailbox_concurrency_limit) {
      return mailboxConcurrency(retryAfter, clientRequestId);
    }
    if (s.status !== undefined && (this.remainingStatus === undefined || this.remainingStatus > 0)) {
      if (this.remainingStatus !== undefined) this.remainingStatus -= 1;
      return injectedStatus(s.status, retryAfter, clientRequestId);
    }
    if (s.throttle_share !== undefined && s.throttle_share > 0 && this.random() < s.throttle_share) {
      return throttled(retryAfter);
    }
    return undefined;
  }
}
