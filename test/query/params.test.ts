import { describe, expect, it } from 'vitest';
import { LONG_EVENT_MS } from '../../shared/items/keys.js';
import { eventQuerySchema, resolveWindow } from '../../shared/query/event-params.js';
import { eventFilters } from '../../shared/query/event-query.js';
import { messageQuerySchema } from '../../shared/query/message-params.js';
import { messageFilter } from '../../shared/query/message-query.js';

const NOW = Date.UTC(2024, 5, 15, 12);
const DAY = 24 * 3600 * 1000;
const events = (q: Record<string, string>) => eventQuerySchema(NOW).safeParse(q);
const fieldsOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  r.error?.issues.map((i) => i.path.join('.')) ?? [];

describe('query parameters', () => {
  it('accepts any ISO 8601 instant with an offset, and nothing without one', () => {
    const accepted = {
      '2024-01-31T23:59:59Z': Date.UTC(2024, 0, 31, 23, 59, 59),
      '2024-02-01T01:59:59+02:00': Date.UTC(2024, 0, 31, 23, 59, 59),
      '2024-01-31T18:29:59.5-05:30': Date.UTC(2024, 0, 31, 23, 59, 59, 500),
      '2024-01-31T23:59Z': Date.UTC(2024, 0, 31, 23, 59),
    };
    for (const [text, ms] of Object.entries(accepted)) {
      const r = events({ start_date: text, end_date: '2024-03-01T00:00:00Z' });
      expect(r.success && r.data.start_date, text).toBe(ms);
    }
    for (const text of [
      '2024-01-31T23:59:59',
      '2024-01-31',
      '2024-02-30T00:00:00Z',
      '2024-01-31T23:59:59+0200',
      'yesterday',
    ]) {
      expect(fieldsOf(events({ start_date: text, end_date: '2024-03-01T00:00:00Z' })), text).toEqual(['start_date']);
    }
  });

  it('defaults the window to 30 days either side of now, and limit to 100', () => {
    const r = events({});
    expect(r.success).toBe(true);
    if (!r.success) return;
    expect(r.data.limit).toBe(100);
    expect(resolveWindow(r.data, NOW)).toEqual({ startMs: NOW - 30 * DAY, endMs: NOW + 30 * DAY });
  });

  it('checks the window against the bound the caller gave, but not behind a cursor', () => {
    expect(fieldsOf(events({ start_date: '2024-01-02T00:00:00Z', end_date: '2024-01-02T00:00:00Z' }))).toEqual([
      'end_date',
    ]);
    expect(fieldsOf(events({ start_date: '2024-01-01T00:00:00Z', end_date: '2025-01-01T00:00:00.001Z' }))).toEqual([
      'end_date',
    ]);
    expect(events({ start_date: '2024-01-01T00:00:00Z', end_date: '2025-01-01T00:00:00Z' }).success).toBe(true); // 366 days
    expect(fieldsOf(events({ start_date: '2023-01-01T00:00:00Z' }))).toEqual(['start_date']);
    expect(fieldsOf(events({ end_date: '2024-05-01T00:00:00Z' }))).toEqual(['end_date']);
    expect(events({ start_date: '2023-01-01T00:00:00Z', cursor: 'c' }).success).toBe(true);
  });

  it('parses message filters strictly', () => {
    const ok = messageQuerySchema.safeParse({
      is_read: 'false',
      importance: 'high',
      search: '日'.repeat(200),
      limit: '500',
    });
    expect(ok.success && [ok.data.is_read, ok.data.limit]).toEqual([false, 500]);
    const bad = messageQuerySchema.safeParse({
      is_read: 'False',
      importance: 'HIGH',
      search: '日'.repeat(201),
      limit: '501',
      extra: '1',
    });
    expect(fieldsOf(bad).sort()).toEqual(['extra', 'importance', 'is_read', 'limit', 'search']);
  });
});

describe('table filters', () => {
  const hostile = "x' or PartitionKey ne '";

  it('pin the partition and quote every value, so no input widens a query', () => {
    const window = { startMs: Date.UTC(2024, 0, 1), endMs: Date.UTC(2024, 1, 1) };
    for (const filter of [
      ...eventFilters(hostile, window, `a'b`),
      messageFilter(hostile, { received_after: 0 }, `a'b`),
    ]) {
      expect(filter.startsWith("PartitionKey eq 'x'' or PartitionKey ne ''' and ")).toBe(true);
      expect(filter).toContain("RowKey gt '");
      expect(filter).toContain("a''b'");
    }
  });

  it('bound event scans by the window and the longest short event', () => {
    const [short, long] = eventFilters('p', { startMs: Date.UTC(2024, 0, 10), endMs: Date.UTC(2024, 1, 1) });
    expect(short).toBe(
      `PartitionKey eq 'p' and RowKey ge 'e|${new Date(Date.UTC(2024, 0, 10) - LONG_EVENT_MS).toISOString()}' and RowKey lt 'e|2024-02-01T00:00:00.000Z' and end gt '2024-01-10T00:00:00.000Z'`,
    );
    expect(long).toBe(
      "PartitionKey eq 'p' and RowKey ge 'l|' and RowKey lt 'l|2024-02-01T00:00:00.000Z' and end gt '2024-01-10T00:00:00.000Z'",
    );
  });

  it('turn message filters into row-key bounds and server-side equality', () => {
    expect(
      messageFilter('p', { received_after: 1000, received_before: 5000, is_read: false, importance: 'high' }),
    ).toBe(
      "PartitionKey eq 'p' and RowKey ge 'm|9999999994999}' and RowKey lt 'm|9999999998999|' and isRead eq false and importance eq 'high'",
    );
  });
});
