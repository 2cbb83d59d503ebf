/**
 * Merges async streams that are each sorted by `compare` into one sorted stream, reading each
 * source only as far as needed: a source is advanced only after its current head was yielded.
 * Stopping early (a `break` in the consumer) closes every source, which ends their page reads.
 */
export async function* mergeSorted<T>(sources: AsyncIterable<T>[], compare: (a: T, b: T) => number): AsyncGenerator<T> {
  const iterators = sources.map((s) => s[Symbol.asyncIterator]());
  const heads: (IteratorResult<T> | undefined)[] = [];
  try {
    // The first page of every source is fetched at once: they are independent partitions.
    heads.push(...(await Promise.all(iterators.map((it) => it.next()))));
    for (;;) {
      // A linear scan beats a heap here: a caller has a handful of integrations, each 1–2 sources.
      let best = -1;
      for (let i = 0; i < heads.length; i++) {
        const head = heads[i];
        if (!head || head.done) continue;
        const current = heads[best];
        if (best < 0 || (current && !current.done && compare(head.value, current.value) < 0)) best = i;
      }
      const chosen = heads[best];
      const iterator = iterators[best];
      if (!chosen || chosen.done || !iterator) return;
      yield chosen.value;
      heads[best] = await iterator.next();
    }
  } finally {
    await Promise.all(iterators.map((it, i) => (heads[i]?.done ? undefined : it.return?.())));
  }
}
