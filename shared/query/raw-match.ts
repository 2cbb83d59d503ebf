// Cheap tests of a stored row's raw columns, run before the row is parsed (table-scan.ts
// scanMatching). Each is a necessary condition of a query filter: it only turns down rows the
// filter itself would drop, so answers do not change; rows it cannot judge go on to be parsed.

type Entity = Record<string, unknown>;
export type Prefilter = (entity: Entity) => boolean;

// Printable ASCII without `"` and `\`: such a needle reads the same inside JSON text, and lower
// case maps no other character onto it but the ones whole-string lowering maps too.
const PLAIN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** The JSON or text column `column` may hold `address` (lower case) in any case. */
export function mayHoldAddress(column: string, address: string): Prefilter | undefined {
  if (!PLAIN.test(address)) return undefined;
  return (entity) => {
    const raw = entity[column];
    return typeof raw !== 'string' || raw.toLowerCase().includes(address);
  };
}

/** The folded `search` column holds `term` (the very test the query makes after parsing). */
export function searchHolds(term: string): Prefilter {
  return (entity) => typeof entity.search !== 'string' || entity.search.includes(term);
}

/** All of the tests; undefined when there are none. */
export function allOf(tests: (Prefilter | undefined)[]): Prefilter | undefined {
  const list = tests.filter((t): t is Prefilter => t !== undefined);
  return list.length === 0 ? undefined : (entity) => list.every((t) => t(entity));
}
