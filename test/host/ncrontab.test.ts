import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CronSyntaxError, parseNcrontab } from '../../dev/host/ncrontab.js';

const at = (iso: string) => new Date(iso);
const next = (expr: string, after: string) => parseNcrontab(expr).next(at(after))?.toISOString();

describe('parseNcrontab: next occurrence (UTC)', () => {
  it.each([
    ['* * * * * *', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:01.000Z'],
    ['* * * * * *', '2024-01-01T00:00:00.999Z', '2024-01-01T00:00:01.000Z'],
    ['0 */5 * * * *', '2024-01-01T00:03:10Z', '2024-01-01T00:05:00.000Z'],
    ['0 */5 * * * *', '2024-01-01T00:05:00Z', '2024-01-01T00:10:00.000Z'],
    ['0 */5 * * * *', '2024-01-01T23:59:00Z', '2024-01-02T00:00:00.000Z'],
    ['30 15 9 * * *', '2024-01-01T09:15:30Z', '2024-01-02T09:15:30.000Z'],
    ['0 0 9-17/4 * * *', '2024-01-01T10:00:00Z', '2024-01-01T13:00:00.000Z'],
    ['0 0 12 * * Mon-Fri', '2024-01-05T12:00:00Z', '2024-01-08T12:00:00.000Z'], // Fri → Mon
    ['0 0 0 * * sunday', '2024-01-01T00:00:00Z', '2024-01-07T00:00:00.000Z'],
    ['0 0 0 1 Jan,JUL *', '2024-02-10T00:00:00Z', '2024-07-01T00:00:00.000Z'],
    ['0 0 0 1 march *', '2024-12-31T00:00:00Z', '2025-03-01T00:00:00.000Z'],
    ['5/20 * * * * *', '2024-01-01T00:00:26Z', '2024-01-01T00:00:45.000Z'],
    ['1,2,40-42 * * * * *', '2024-01-01T00:00:02Z', '2024-01-01T00:00:40.000Z'],
    ['0 0 0 29 Feb *', '2024-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    // Day AND day-of-week must both match (NCrontab): the next Friday the 13th.
    ['0 0 0 13 * 5', '2024-01-01T00:00:00Z', '2024-09-13T00:00:00.000Z'],
  ])('%s after %s → %s', (expr, after, expected) => {
    expect(next(expr, after)).toBe(expected);
  });

  it('reads surrounding and repeated whitespace', () => {
    expect(next('  0   0  *  * * *  ', '2024-01-01T00:30:00Z')).toBe('2024-01-01T01:00:00.000Z');
  });

  it('always returns a later instant that matches every field', () => {
    const schedule = parseNcrontab('10,40 */7 1-22/3 * * *');
    fc.assert(
      fc.property(
        fc.date({ min: at('2000-01-01T00:00:00Z'), max: at('2090-01-01T00:00:00Z'), noInvalidDate: true }),
        (after) => {
          const n = schedule.next(after)!;
          expect(n.getTime()).toBeGreaterThan(after.getTime());
          expect([10, 40]).toContain(n.getUTCSeconds());
          expect(n.getUTCMinutes() % 7).toBe(0);
          expect([1, 4, 7, 10, 13, 16, 19, 22]).toContain(n.getUTCHours());
          // Nothing matching was skipped: one second before it, the next one is it again.
          expect(schedule.next(new Date(n.getTime() - 1000))?.getTime()).toBe(n.getTime());
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('parseNcrontab: invalid expressions', () => {
  it.each([
    ['0 */5 * * *', /expected 6 fields.*got 5/],
    ['0 0 0 * * * *', /expected 6 fields.*got 7/],
    ['', /expected 6 fields/],
    ['60 * * * * *', /second field "60"/],
    ['* 60 * * * *', /minute field/],
    ['* * 24 * * *', /hour field/],
    ['* * * 0 * *', /day field/],
    ['* * * 32 * *', /day field/],
    ['* * * * 13 *', /month field/],
    ['* * * * * 7', /day-of-week field/],
    ['* * * * Janu *', /month field "Janu"/],
    ['* * * * * Funday', /day-of-week field/],
    ['*/0 * * * * *', /step "0" is not a positive integer/],
    ['*/x * * * * *', /step "x"/],
    ['1/2/3 * * * * *', /more than one "\/"/],
    ['10-5 * * * * *', /runs backwards/],
    ['1-2-3 * * * * *', /not a range/],
    ['1,,2 * * * * *', /second field/],
    ['-1 * * * * *', /second field/],
    ['0 0 0 31 Apr *', /never matches/],
    ['0 0 0 30 Feb *', /never matches/],
  ])('%j is rejected', (expr, message) => {
    expect(() => parseNcrontab(expr)).toThrow(CronSyntaxError);
    expect(() => parseNcrontab(expr)).toThrow(message);
  });

  it('names the whole expression in the message', () => {
    expect(() => parseNcrontab('0 0 25 * * *')).toThrow('Invalid NCRONTAB expression "0 0 25 * * *": hour field "25"');
  });
});
