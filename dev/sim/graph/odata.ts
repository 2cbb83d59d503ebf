import { badRequest, GraphError } from './errors.js';
import type { GraphObject } from './store.js';
import { parseInstant } from './time.js';

// OData query options as Graph reads them: names are case-insensitive, values are validated and a
// bad one is a 400 (never ignored), except Prefer preferences, which Graph ignores when unknown.

export type QueryMap = ReadonlyMap<string, string>;

/** Lower-cases option names; a repeated option is a 400 as in Graph. */
export function queryOf(params: URLSearchParams): QueryMap {
  const out = new Map<string, string>();
  for (const [k, v] of params) {
    const key = k.toLowerCase();
    if (out.has(key))
      throw badRequest(`Query option '${k}' was specified more than once, but it must be specified at most once.`);
    out.set(key, v);
  }
  return out;
}

export function parseTop(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim())) throw badRequest(`Invalid value '${value}' for $top query option found.`);
  const n = Number(value.trim());
  if (n < 1 || n > max)
    throw new GraphError(400, 'ErrorInvalidArgument', `The value of $top must be between 1 and ${max}.`);
  return n;
}

/** Canonical property names for `$select`, or undefined for "all". */
export function parseSelect(
  value: string | undefined,
  allowed: readonly string[],
  entity: string,
): string[] | undefined {
  if (value === undefined) return undefined;
  const byLower = new Map(allowed.map((p) => [p.toLowerCase(), p]));
  const names = value.split(',').map((s) => s.trim());
  return names.map((n) => {
    const canonical = byLower.get(n.toLowerCase());
    if (!canonical)
      throw new GraphError(
        400,
        'RequestBroker--ParseUri',
        `Could not find a property named '${n}' on type 'microsoft.graph.${entity}'.`,
      );
    return canonical;
  });
}

/** Keeps `@odata.*` annotations, `id` and the selected properties. */
export function applySelect(obj: GraphObject, select: readonly string[] | undefined): GraphObject {
  if (!select) return obj;
  const out: GraphObject = {};
  for (const [k, v] of Object.entries(obj)) if (k.startsWith('@odata.')) out[k] = v;
  for (const k of select) if (k in obj) out[k] = obj[k];
  out.id = obj.id;
  return out;
}

export type FilterOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export interface FilterClause {
  property: 'isRead' | 'hasAttachments' | 'importance' | 'receivedDateTime';
  op: FilterOp;
  value: boolean | string | number;
}

const invalidFilter = (detail: string): GraphError =>
  new GraphError(400, 'BadRequest', `Invalid filter clause: ${detail}`);

/** `prop op literal [and prop op literal]*` over the message properties the simulator indexes. */
export function parseMessageFilter(text: string): FilterClause[] {
  const parts = text.trim().split(/\s+and\s+/i);
  return parts.map((part) => {
    const m = /^(\w+)\s+(eq|ne|gt|ge|lt|le)\s+(.+)$/i.exec(part.trim());
    if (!m) throw invalidFilter(`'${part}' is not a comparison.`);
    const prop = (m[1] ?? '').toLowerCase();
    const op = (m[2] ?? '').toLowerCase() as FilterOp;
    const lit = (m[3] ?? '').trim();
    if (prop === 'isread' || prop === 'hasattachments') {
      if (!/^(true|false)$/i.test(lit) || (op !== 'eq' && op !== 'ne'))
        throw invalidFilter(`'${part}' expects eq/ne true|false.`);
      return { property: prop === 'isread' ? 'isRead' : 'hasAttachments', op, value: lit.toLowerCase() === 'true' };
    }
    if (prop === 'importance') {
      const v = /^'(low|normal|high)'$/i.exec(lit);
      if (!v || (op !== 'eq' && op !== 'ne')) throw invalidFilter(`'${part}' expects eq/ne 'low'|'normal'|'high'.`);
      return { property: 'importance', op, value: (v[1] ?? '').toLowerCase() };
    }
    if (prop === 'receiveddatetime') {
      const ms = parseInstant(lit.replace(/^'(.*)'$/, '$1'));
      if (ms === undefined) throw invalidFilter(`'${lit}' is not a date-time.`);
      return { property: 'receivedDateTime', op, value: ms };
    }
    throw invalidFilter(`filtering on '${m[1]}' is not supported.`);
  });
}

function compare(a: number | string | boolean, op: FilterOp, b: number | string | boolean): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
  }
}

export function matchesFilter(
  clauses: readonly FilterClause[],
  m: { isRead: boolean; hasAttachments: boolean; importance: string; receivedMs: number },
): boolean {
  return clauses.every((c) => {
    const actual = c.property === 'receivedDateTime' ? m.receivedMs : m[c.property];
    return compare(actual, c.op, c.value);
  });
}

export interface OrderBy {
  property: 'receivedDateTime' | 'sentDateTime' | 'subject';
  descending: boolean;
}

export function parseOrderBy(value: string | undefined): OrderBy {
  if (value === undefined) return { property: 'receivedDateTime', descending: true };
  const m = /^\s*(receivedDateTime|sentDateTime|subject)(?:\s+(asc|desc))?\s*$/i.exec(value);
  if (!m) throw badRequest(`The $orderby expression '${value}' is not supported.`);
  const property =
    (['receivedDateTime', 'sentDateTime', 'subject'] as const).find(
      (p) => p.toLowerCase() === (m[1] ?? '').toLowerCase(),
    ) ?? 'receivedDateTime';
  return { property, descending: (m[2] ?? 'asc').toLowerCase() === 'desc' };
}

export interface SearchTerm {
  field: 'subject' | 'from' | 'body' | 'any';
  text: string;
}

/** `$search="words"` (quotes required for more than one word): every term must match. */
export function parseSearch(value: string): SearchTerm[] {
  const raw = value.trim();
  const quoted = /^"(.*)"$/s.exec(raw);
  if (!quoted && /\s/.test(raw))
    throw badRequest('Syntax error: a $search value with spaces must be enclosed in double quotes.');
  const inner = (quoted ? (quoted[1] ?? '') : raw).trim();
  if (inner === '') throw badRequest('The $search query option must not be empty.');
  return inner.split(/\s+/).map((tok) => {
    const m = /^(subject|from|body):(.+)$/i.exec(tok);
    const field = m ? ((m[1] ?? '').toLowerCase() as SearchTerm['field']) : 'any';
    return { field, text: (m ? (m[2] ?? '') : tok).normalize('NFC').toLowerCase() };
  });
}

export function matchesSearch(
  terms: readonly SearchTerm[],
  s: { subject: string; body: string; from: string },
): boolean {
  return terms.every((t) =>
    t.field === 'any'
      ? s.subject.includes(t.text) || s.body.includes(t.text) || s.from.includes(t.text)
      : s[t.field].includes(t.text),
  );
}

export interface Preferences {
  maxPageSize?: number;
  timeZone?: string;
  /** `IdType="ImmutableId"`: ids in the answer are immutable ones (outlook-immutable-id.md). */
  immutableIds?: boolean;
}

/**
 * Parses `Prefer`; unknown or malformed preferences are ignored, as Graph does. Several
 * preferences come comma-separated in one header or in repeated headers (the front joins those
 * with ", "), in any order and letter case of their names.
 */
export function parsePrefer(header: string | undefined): Preferences {
  const out: Preferences = {};
  if (!header) return out;
  for (const part of header.match(/(?:[^,"]|"[^"]*")+/g) ?? []) {
    const m = /^\s*([\w.-]+)\s*(?:=\s*(?:"([^"]*)"|([^\s,;]+)))?/.exec(part);
    if (!m) continue;
    const name = (m[1] ?? '').toLowerCase();
    const value = m[2] ?? m[3];
    if (name === 'odata.maxpagesize' && value && /^\d+$/.test(value) && Number(value) > 0)
      out.maxPageSize = Number(value);
    if (name === 'outlook.timezone' && value) out.timeZone = value;
    if (name === 'idtype' && value?.toLowerCase() === 'immutableid') out.immutableIds = true;
  }
  return out;
}
