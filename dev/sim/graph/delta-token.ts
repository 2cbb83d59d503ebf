import { createHmac } from 'node:crypto';

// Delta state. A round is frozen when it starts: its pages are slices of a fixed list, so a change
// during the round shows up in the next one, and paging stays stable. A round also keeps the
// state (id → changeKey, or what the stream needs to know of each item) it was computed from; its deltaLink's token points at that baseline.
// Tokens are opaque to clients (URL-safe base64 with a MAC); they carry the round's parameters,
// so even an expired token can say where to restart (the 410's Location).

export interface CalendarParams {
  kind: 'calendar';
  startMs: number;
  endMs: number;
  /** Set for a calendar named in the path (`/me/calendars/{id}/calendarView/delta`). */
  calendarId?: string;
}

export interface MailParams {
  kind: 'mail';
  folderId: string;
  /** The original query string of the round's first request ($select, $filter, changeType). */
  query: string;
}

export type RoundParams = CalendarParams | MailParams;

export interface Round<E, B = string> {
  readonly serial: number;
  readonly userId: string;
  readonly params: RoundParams;
  readonly entries: readonly E[];
  readonly baseline: ReadonlyMap<string, B>;
}

interface TokenPayload {
  s: number;
  o: number;
  d: 0 | 1;
  u: string;
  p: RoundParams;
}

export type Resolved<E, B = string> =
  { ok: true; round: Round<E, B>; offset: number; isDelta: boolean } | { ok: false; params: RoundParams | undefined };

const MAX_ROUNDS_PER_USER = 256;
const MAC_BYTES = 8;

export class DeltaRegistry<E, B = string> {
  private nextSerial = 1;
  private expiredBefore = 0;
  private readonly rounds = new Map<string, Map<number, Round<E, B>>>();

  constructor(private readonly secret: string) {}

  startRound(
    userId: string,
    params: RoundParams,
    entries: readonly E[],
    baseline: ReadonlyMap<string, B>,
  ): Round<E, B> {
    const round: Round<E, B> = { serial: this.nextSerial++, userId, params, entries, baseline };
    let mine = this.rounds.get(userId);
    if (!mine) this.rounds.set(userId, (mine = new Map()));
    mine.set(round.serial, round);
    // Oldest rounds go first; their tokens then answer as expired, as Graph's eventually do.
    while (mine.size > MAX_ROUNDS_PER_USER) {
      const oldest = mine.keys().next().value;
      if (oldest === undefined) break;
      mine.delete(oldest);
    }
    return round;
  }

  skipToken(round: Round<E, B>, offset: number): string {
    return this.encode({ s: round.serial, o: offset, d: 0, u: round.userId, p: round.params });
  }

  deltaToken(round: Round<E, B>): string {
    return this.encode({ s: round.serial, o: 0, d: 1, u: round.userId, p: round.params });
  }

  resolve(token: string, userId: string): Resolved<E, B> {
    const payload = this.decode(token);
    if (!payload || payload.u !== userId) return { ok: false, params: undefined };
    const mine = this.rounds.get(userId);
    const round = payload.s >= this.expiredBefore ? mine?.get(payload.s) : undefined;
    if (!round || !mine) return { ok: false, params: payload.p };
    mine.delete(round.serial);
    mine.set(round.serial, round);
    return { ok: true, round, offset: payload.o, isDelta: payload.d === 1 };
  }

  /** Every token issued so far answers as expired from now on. */
  expireAll(): void {
    this.expiredBefore = this.nextSerial;
    this.rounds.clear();
  }

  private mac(body: Buffer): Buffer {
    return createHmac('sha256', this.secret).update(body).digest().subarray(0, MAC_BYTES);
  }

  private encode(p: TokenPayload): string {
    const body = Buffer.from(JSON.stringify(p));
    return Buffer.concat([this.mac(body), body]).toString('base64url');
  }

  private decode(token: string): TokenPayload | undefined {
    if (!/^[A-Za-z0-9_-]{12,4096}$/.test(token)) return undefined;
    const raw = Buffer.from(token, 'base64url');
    const body = raw.subarray(MAC_BYTES);
    if (!raw.subarray(0, MAC_BYTES).equals(this.mac(body))) return undefined;
    try {
      const p = JSON.parse(body.toString('utf8')) as TokenPayload;
      return typeof p.s === 'number' && typeof p.o === 'number' && typeof p.u === 'string' && typeof p.p === 'object'
        ? p
        : undefined;
    } catch {
      return undefined;
    }
  }
}
