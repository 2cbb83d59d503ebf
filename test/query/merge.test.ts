import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeSorted } from '../../shared/query/merge.js';
import { takePage } from '../../shared/query/page.js';
import { useSeed } from '../support/seed.js';

useSeed('test/query/merge.test.ts');

/** A sorted source that records how far it was read and whether it was closed. */
function source<T>(items: T[]) {
  const state = { read: 0, closed: false };
  async function* gen() {
    try {
      for (const item of items) {
        state.read++;
        yield item;
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, iterable: gen() };
}

const numeric = (a: number, b: number) => a - b;

describe('mergeSorted', () => {
  it('equals the sorted concatenation of sorted sources', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 30 }), { maxLength: 6 }),
        async (lists) => {
          const sorted = lists.map((l) => [...l].sort(numeric));
          const out: number[] = [];
          for await (const n of mergeSorted(
            sorted.map((l) => source(l).iterable),
            numeric,
          ))
            out.push(n);
          expect(out).toEqual(sorted.flat().sort(numeric));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads each source only as far as the consumer needs, and closes them all on an early stop', async () => {
    const a = source([1, 4, 7, 10, 13]);
    const b = source([2, 5, 8, 11]);
    const c = source([100, 200]);
    const taken: number[] = [];
    for await (const n of mergeSorted([a.iterable, b.iterable, c.iterable], numeric)) {
      taken.push(n);
      if (taken.length === 3) break;
    }
    expect(taken).toEqual([1, 2, 4]);
    // A source advances only when the consumer asks for more after its head was taken: a gave 1
    // and 4 (7 was never read), b gave 2 and holds 5 as its head, c only its first item.
    expect([a.state.read, b.state.read, c.state.read]).toEqual([2, 2, 1]);
    expect([a.state.closed, b.state.closed, c.state.closed]).toEqual([true, true, true]);
  });

  it('propagates a failing source and still closes the others', async () => {
    const ok = source([1, 2, 3]);
    async function* failing() {
      yield 0;
      throw new Error('storage down');
    }
    const run = async () => {
      for await (const _ of mergeSorted([ok.iterable, failing()], numeric)) void _;
    };
    await expect(run()).rejects.toThrow('storage down');
    expect(ok.state.closed).toBe(true);
  });
});

describe('takePage', () => {
  const row = (partitionKey: string, rowKey: string) => ({ partitionKey, rowKey });

  it('orders e| and l| rows by start then id, and resumes after the last row of a full page', async () => {
    const e = source([row('p1', 'e|2024-01-01T00:00:00.000Z|b'), row('p1', 'e|2024-01-03T00:00:00.000Z|a')]);
    const l = source([row('p1', 'l|2024-01-01T00:00:00.000Z|a'), row('p1', 'l|2024-01-02T00:00:00.000Z|z')]);
    const page = await takePage([e.iterable, l.iterable], 3);
    expect(page.rows.map((r) => r.rowKey)).toEqual([
      'l|2024-01-01T00:00:00.000Z|a',
      'e|2024-01-01T00:00:00.000Z|b',
      'l|2024-01-02T00:00:00.000Z|z',
    ]);
    expect(page.nextAfter).toBe('2024-01-02T00:00:00.000Z|z');
  });

  it('has no next position when the rows end exactly at the limit', async () => {
    const page = await takePage([source([row('p', 'm|1|a'), row('p', 'm|2|a')]).iterable], 2);
    expect(page.rows).toHaveLength(2);
    expect(page.nextAfter).toBeUndefined();
  });

  it('stops at the scan budget with a cursor at the last row read, so resuming reads each row once', async () => {
    const all = Array.from({ length: 25 }, (_, i) => row(i % 2 ? 'p1' : 'p2', `m|${String(i).padStart(3, '0')}|x`));
    const wanted = (r: { rowKey: string }) => ['m|003|x', 'm|011|x', 'm|024|x'].includes(r.rowKey);
    const kept: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const rest = all.filter((r) => after === undefined || r.rowKey.slice(2) > after);
      const streams = ['p1', 'p2'].map((p) => source(rest.filter((r) => r.partitionKey === p)).iterable);
      const page = await takePage(streams, 10, { keep: wanted, maxScanned: 10 });
      kept.push(...page.rows.map((r) => r.rowKey));
      after = page.nextAfter;
      pages++;
    } while (after !== undefined && pages < 10);
    expect(kept).toEqual(['m|003|x', 'm|011|x', 'm|024|x']);
    expect(pages).toBe(3);
  });

  it('without a budget hit, drops unwanted rows and still fills the page', async () => {
    const rows = Array.from({ length: 9 }, (_, i) => row('p', `m|${i}|a`));
    const page = await takePage([source(rows).iterable], 2, { keep: (r) => Number(r.rowKey[2]) % 2 === 0 });
    expect(page.rows.map((r) => r.rowKey)).toEqual(['m|0|a', 'm|2|a']);
    expect(page.nextAfter).toBe('2|a');
  });
});
