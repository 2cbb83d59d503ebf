import type { EffectiveSettings } from './delivery-settings.js';

// Graph's slow-endpoint throttling (change-notifications-delivery-webhooks.md, "Throttling"): an
// answer slower than 2,900 ms is slow; once an endpoint has had 100 notifications in the current
// 10-minute window, ≥ 10 % slow flags it (its notifications wait 10 minutes) and ≥ 15 % drops
// them. The counts are flushed every 10 minutes (scaled by retry_time_scale).

const SLOW_MS = 2_900;
const MIN_SAMPLE = 100;
const WINDOW_MS = 10 * 60_000;

export type EndpointState = 'ok' | 'slow' | 'drop';

interface Window {
  startedMs: number;
  answers: number;
  slow: number;
}

export class EndpointHealth {
  private readonly byUrl = new Map<string, Window>();

  private window(url: string, s: EffectiveSettings): Window {
    const now = Date.now();
    const w = this.byUrl.get(url);
    if (w && now - w.startedMs < WINDOW_MS * s.retry_time_scale) return w;
    const fresh = { startedMs: now, answers: 0, slow: 0 };
    this.byUrl.set(url, fresh);
    return fresh;
  }

  record(url: string, durationMs: number, s: EffectiveSettings): void {
    const w = this.window(url, s);
    w.answers++;
    if (durationMs > SLOW_MS) w.slow++;
  }

  state(url: string, s: EffectiveSettings): EndpointState {
    if (s.throttling === 'off') return 'ok';
    if (s.throttling === 'slow' || s.throttling === 'drop') return s.throttling;
    const w = this.window(url, s);
    if (w.answers < MIN_SAMPLE) return 'ok';
    const share = w.slow / w.answers;
    return share >= 0.15 ? 'drop' : share >= 0.1 ? 'slow' : 'ok';
  }

  describe(url: string, s: EffectiveSettings): { state: EndpointState; answers: number; slow_answers: number } {
    const w = this.window(url, s);
    return { state: this.state(url, s), answers: w.answers, slow_answers: w.slow };
  }
}
