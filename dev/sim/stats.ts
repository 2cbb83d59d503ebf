/** `GET /_sim/stats`: what reached the simulator since the last reset (control requests excluded). */
export interface SimStats {
  since: string;
  total_requests: number;
  graph_requests: number;
  identity_requests: number;
  /** Requests attributed to a simulated user (Graph: the token's user; token endpoint: the grant's user). */
  by_user: Record<string, number>;
  /** `METHOD /template`, e.g. `GET /v1.0/me/calendarView/delta`, `POST /{tenant}/oauth2/v2.0/token`. */
  by_path: Record<string, number>;
  by_status: Record<string, number>;
  /** Request and response body bytes. */
  bytes_in: number;
  bytes_out: number;
  token_requests_by_grant: Record<string, number>;
  /**
   * The most Graph requests for one mailbox in flight at the same moment (requests refused by
   * mailbox_concurrency_limit included: the figure measures what the client sent).
   */
  max_in_flight_per_mailbox: { overall: number; by_user: Record<string, number> };
  /** Requests repeated before the Retry-After of an earlier 429/503 to the same request had elapsed. */
  early_retries: number;
  early_retries_by_user: Record<string, number>;
  /**
   * Graph requests by the ids they asked for: `Prefer: IdType="ImmutableId"` or Graph's default
   * ids; the default ones also by path, to find the request that forgot the preference.
   */
  graph_id_types: { immutable: number; default: number; default_by_path: Record<string, number> };
}

export interface RequestRecord {
  template: string;
  status: number;
  graph: boolean;
  user?: string;
  grantType?: string;
  /** Graph requests: whether they asked for immutable ids. */
  immutableIds?: boolean;
  bytesIn: number;
  bytesOut: number;
}

// Timers and sockets jitter by a millisecond or two: a retry that lands this close is on time.
const EARLY_TOLERANCE_MS = 2;
const bump = (m: Record<string, number>, key: string, by = 1): void => {
  m[key] = (m[key] ?? 0) + by;
};

export class Stats {
  private s: SimStats = Stats.empty();
  private readonly inFlight = new Map<string, number>();
  private readonly retryAt = new Map<string, number>();

  constructor(private readonly clock: () => number = () => performance.now()) {}

  private static empty(): SimStats {
    return {
      since: new Date().toISOString(),
      total_requests: 0,
      graph_requests: 0,
      identity_requests: 0,
      by_user: {},
      by_path: {},
      by_status: {},
      bytes_in: 0,
      bytes_out: 0,
      token_requests_by_grant: {},
      max_in_flight_per_mailbox: { overall: 0, by_user: {} },
      early_retries: 0,
      early_retries_by_user: {},
      graph_id_types: { immutable: 0, default: 0, default_by_path: {} },
    };
  }

  record(r: RequestRecord): void {
    const s = this.s;
    s.total_requests += 1;
    if (r.graph) {
      s.graph_requests += 1;
      if (r.immutableIds) s.graph_id_types.immutable += 1;
      else {
        s.graph_id_types.default += 1;
        bump(s.graph_id_types.default_by_path, r.template);
      }
    } else s.identity_requests += 1;
    if (r.user) bump(s.by_user, r.user);
    bump(s.by_path, r.template);
    bump(s.by_status, String(r.status));
    s.bytes_in += r.bytesIn;
    s.bytes_out += r.bytesOut;
    if (r.grantType) bump(s.token_requests_by_grant, r.grantType);
  }

  /** Marks a Graph request for `mailbox` in flight; returns how many were in flight before it. */
  enter(mailbox: string): number {
    const before = this.inFlight.get(mailbox) ?? 0;
    this.inFlight.set(mailbox, before + 1);
    const peaks = this.s.max_in_flight_per_mailbox;
    peaks.by_user[mailbox] = Math.max(peaks.by_user[mailbox] ?? 0, before + 1);
    peaks.overall = Math.max(peaks.overall, before + 1);
    return before;
  }

  leave(mailbox: string): void {
    const n = (this.inFlight.get(mailbox) ?? 1) - 1;
    if (n <= 0) this.inFlight.delete(mailbox);
    else this.inFlight.set(mailbox, n);
  }

  /** Called when a request arrives: counts it if it repeats a refused request too early. */
  noteArrival(user: string, requestKey: string): void {
    const key = `${user} ${requestKey}`;
    const allowedAt = this.retryAt.get(key);
    if (allowedAt === undefined) return;
    this.retryAt.delete(key);
    if (this.clock() < allowedAt - EARLY_TOLERANCE_MS) {
      this.s.early_retries += 1;
      bump(this.s.early_retries_by_user, user);
    }
  }

  /** Called when a 429/503 with Retry-After is answered: the same request may come back after it. */
  noteRetryAfter(user: string, requestKey: string, retryAfterSeconds: number): void {
    this.retryAt.set(`${user} ${requestKey}`, this.clock() + retryAfterSeconds * 1000);
    if (this.retryAt.size > 50_000) this.pruneElapsed();
  }

  snapshot(): SimStats {
    return structuredClone(this.s);
  }

  /** Zeroes the figures; requests in flight now still count toward the new peaks. */
  reset(): void {
    this.s = Stats.empty();
    for (const [mailbox, n] of this.inFlight) {
      this.s.max_in_flight_per_mailbox.by_user[mailbox] = n;
      this.s.max_in_flight_per_mailbox.overall = Math.max(this.s.max_in_flight_per_mailbox.overall, n);
    }
    this.retryAt.clear();
  }

  private pruneElapsed(): void {
    const now = this.clock();
    for (const [key, at] of this.retryAt) if (at <= now) this.retryAt.delete(key);
  }
}
