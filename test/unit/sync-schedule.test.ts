import { afterEach, describe, expect, it, vi } from 'vitest';
import { mailCutoff } from '../../shared/sync/mail-stream.js';
import { nextSyncAfter as nextSyncAt } from '../../shared/integrations/lifecycle.js';

const now = new Date('2026-03-01T12:34:56.789Z');
const MINUTE = 60_000;

describe('nextSyncAt', () => {
  afterEach(() => void vi.restoreAllMocks());

  it('is the interval from now, spread over ±10% of it', () => {
    const at = (random: number) => {
      vi.spyOn(Math, 'random').mockReturnValue(random);
      return Date.parse(nextSyncAt(now, 15)) - now.getTime();
    };
    expect(at(0.5)).toBe(15 * MINUTE);
    expect(at(0)).toBe(15 * MINUTE - 1.5 * MINUTE);
    expect(at(0.999_999)).toBe(Math.round(15 * MINUTE + 1.5 * MINUTE * 0.999_998));
  });

  it('draws from the whole spread, so integrations connected together drift apart', () => {
    const offsets = new Set(Array.from({ length: 50 }, () => nextSyncAt(now, 60)));
    expect(offsets.size).toBeGreaterThan(40);
    for (const at of offsets) {
      const delta = Date.parse(at) - now.getTime();
      expect(delta).toBeGreaterThanOrEqual(54 * MINUTE);
      expect(delta).toBeLessThanOrEqual(66 * MINUTE);
    }
  });
});

describe('mailCutoff', () => {
  it('is midnight UTC of today, SYNC_MAIL_DAYS days back', () => {
    expect(mailCutoff(now, 30).toISOString()).toBe('2026-01-30T00:00:00.000Z');
    expect(mailCutoff(now, 0).toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });

  it('stays put during a day and moves a whole day at midnight', () => {
    expect(mailCutoff(new Date('2026-03-01T00:00:00.000Z'), 1)).toEqual(
      mailCutoff(new Date('2026-03-01T23:59:59.999Z'), 1),
    );
    expect(mailCutoff(new Date('2026-03-02T00:00:00.000Z'), 1).getTime() - mailCutoff(now, 1).getTime()).toBe(
      24 * 60 * MINUTE,
    );
  });
});
