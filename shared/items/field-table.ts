import { z } from 'zod';
import { jsonColumn } from './json-column.js';

// One field table per stored entity (event, message, integration): each field says which columns
// hold it, how they parse, how much they may hold, and what the API shows of it. The row schema,
// the stored type, the row writer, the API view and the OpenAPI response schema are all derived
// from the table, so adding a field is one entry here (plus the Graph schema and mapper).

/** A value Table Storage holds in one property. */
export type Column = string | number | boolean | null;

/**
 * Table Storage holds at most 32K UTF-16 characters in a string property and 1 MiB in an entity;
 * every string and JSON column declares a cap well inside the first, and the caps of one entity
 * add up to well inside the second (checked by test/unit/field-table.test.ts).
 */
export const PROPERTY_CHAR_LIMIT = 32 * 1024;

/** How the API shows a field: its name there, its schema (OpenAPI is generated from it), its value. */
export interface ApiField<N extends string = string, S extends z.ZodType = z.ZodType, T = never> {
  name: N;
  schema: S;
  show: (value: T) => z.output<S>;
}

/** Shows a field in the API as `name`; the value as it is, unless `show` turns it into the schema's type. */
export function api<N extends string, S extends z.ZodType>(name: N, schema: S): ApiField<N, S, z.output<S>>;
export function api<N extends string, S extends z.ZodType, T>(
  name: N,
  schema: S,
  show: (value: T) => z.output<S>,
): ApiField<N, S, T>;
export function api<N extends string, S extends z.ZodType, T>(
  name: N,
  schema: S,
  show?: (value: T) => z.output<S>,
): ApiField<N, S, T> {
  return { name, schema, show: show ?? ((value: T) => value as z.output<S>) };
}

/** One field of an entity. `T` is its value in the stored type; `A` how the API shows it (or not). */
export interface Field<T, A extends ApiField<string, z.ZodType, T> | undefined> {
  /** Parses each column (by name) when a row is read; `key` is the field's name in the table. */
  shape: (key: string) => Record<string, z.ZodType>;
  /** The value from the parsed columns. */
  read: (columns: Record<string, unknown>, key: string) => T;
  /** The columns of a value, each within its cap (an empty object: a column the row does not write). */
  write: (value: T, key: string) => Record<string, Column>;
  /** Most characters the field's columns hold together (strings: the value; JSON: its text). */
  cap: number;
  api: A;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a table holds fields of any value type
type AnyField = Field<any, any>;
export type Fields = Record<string, AnyField>;

type ValueOf<F> = F extends Field<infer T, infer _A> ? T : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
/** The stored type of a table: every field's value under the field's name (optional when it may be undefined). */
export type RecordOf<F extends Fields> = Simplify<
  { [K in keyof F as undefined extends ValueOf<F[K]> ? never : K]: ValueOf<F[K]> } & {
    [K in keyof F as undefined extends ValueOf<F[K]> ? K : never]?: ValueOf<F[K]>;
  }
>;
type ApiOf<F> = F extends { api: ApiField<infer N, infer S, infer _T> } ? { name: N; schema: S } : never;
/** The API shape of a table: the shown fields under their API names. */
export type ViewOf<F extends Fields> = { [K in keyof F as ApiOf<F[K]>['name']]: z.output<ApiOf<F[K]>['schema']> };
export type ResponseShape<F extends Fields> = { [K in keyof F as ApiOf<F[K]>['name']]: ApiOf<F[K]>['schema'] };

/** Cuts a string to at most `cap` UTF-16 units without splitting a surrogate pair. */
export function capText(value: string, cap: number): string {
  if (value.length <= cap) return value;
  const code = value.charCodeAt(cap - 1);
  return value.slice(0, code >= 0xd800 && code <= 0xdbff ? cap - 1 : cap);
}

/** The longest prefix of `items` whose JSON text is at most `cap` characters. */
export function fitList<T>(items: T[], cap: number): T[] {
  let size = 2;
  for (let i = 0; i < items.length; i++) {
    size += JSON.stringify(items[i]).length + (i > 0 ? 1 : 0);
    if (size > cap) return items.slice(0, i);
  }
  return items;
}

/**
 * A field held in one column (named `columnName`, else the field's own name): `schema` parses the
 * column into the value, `encode` writes the value back within `cap`.
 */
export function column<T, A extends ApiField<string, z.ZodType, T> | undefined = undefined>(
  schema: z.ZodType<T>,
  encode: (value: T) => Column,
  cap: number,
  shown?: A,
  columnName?: string,
): Field<T, A> {
  const name = (key: string) => columnName ?? key;
  return {
    shape: (key) => ({ [name(key)]: schema }),
    read: (columns, key) => columns[name(key)] as T,
    write: (value, key) => ({ [name(key)]: encode(value) }),
    cap,
    api: shown as A,
  };
}

/** A string, cut at `cap` characters. */
export const text = <A extends ApiField<string, z.ZodType, string> | undefined = undefined>(
  cap: number,
  shown?: A,
  columnName?: string,
) => column(z.string(), (v: string) => capText(v, cap), cap, shown, columnName);

/**
 * A value held in several columns (`shape`, by column name), e.g. an account's email, name and
 * tenant: `read` builds it from the parsed columns, `write` writes them back within `cap` together.
 */
export function group<T, A extends ApiField<string, z.ZodType, T> | undefined = undefined>(
  shape: Record<string, z.ZodType>,
  read: (columns: Record<string, unknown>) => T,
  write: (value: T) => Record<string, Column>,
  cap: number,
  shown?: A,
): Field<T, A> {
  return { shape: () => shape, read, write, cap, api: shown as A };
}

/**
 * A field added after rows were stored: rows that lack its column read as `fallback` (a column
 * that is present is parsed as usual). Adding a field to a table with stored rows needs this.
 */
export function since<T, A extends ApiField<string, z.ZodType, T> | undefined>(
  field: Field<T, A>,
  fallback: T,
): Field<T, A> {
  const shape = (key: string) =>
    Object.fromEntries(
      Object.entries(field.shape(key)).map(([name, schema]) => [
        name,
        schema.optional().transform((v) => (v === undefined ? fallback : v)),
      ]),
    );
  return { ...field, shape };
}

/**
 * A value computed from the row's other parsed columns when it is read, never stored: it follows
 * its source (and the code that maps it) for rows old and new alike.
 */
export const derived = <T, A extends ApiField<string, z.ZodType, NoInfer<T>> | undefined = undefined>(
  from: (columns: Record<string, unknown>) => T,
  shown?: A,
): Field<T, A> => ({
  shape: () => ({}),
  read: (columns) => from(columns),
  write: () => ({}),
  cap: 0,
  api: shown as A,
});

/** A column the row reads but never writes (the entity's ETag, which Table Storage sets). */
export const readOnly = <T>(schema: z.ZodType<T>): Field<T, undefined> => ({
  shape: (key) => ({ [key]: schema }),
  read: (columns, key) => columns[key] as T,
  write: () => ({}),
  cap: 0,
  api: undefined,
});

/**
 * The length of a list before its column was cut to fit (`list` names the list's field). Rows
 * written before the column existed read as the stored list's length.
 */
export const totalOf = <A extends ApiField<string, z.ZodType, number> | undefined = undefined>(
  list: string,
  shown?: A,
): Field<number, A> => ({
  shape: (key) => ({ [key]: z.number().int().nonnegative().optional() }),
  read: (columns, key) => {
    const stored = columns[key];
    const items = columns[list];
    return typeof stored === 'number' ? stored : Array.isArray(items) ? items.length : 0;
  },
  write: (value, key) => ({ [key]: value }),
  cap: 0,
  api: shown as A,
});

/** A string the row may lack (older rows) or hold as null; the value is null for both. */
export const optionalText = <A extends ApiField<string, z.ZodType, string | null> | undefined = undefined>(
  cap: number,
  shown?: A,
) =>
  column(
    z
      .string()
      .nullish()
      .transform((v) => v ?? null),
    (v: string | null) => (v === null ? null : capText(v, cap)),
    cap,
    shown,
  );

export const flag = <A extends ApiField<string, z.ZodType, boolean> | undefined = undefined>(shown?: A) =>
  column(z.boolean(), (v: boolean) => v, 0, shown);

export const count = <A extends ApiField<string, z.ZodType, number> | undefined = undefined>(shown?: A) =>
  column(z.number().int().nonnegative(), (v: number) => v, 0, shown);

/** A closed set of strings. */
export const oneOf = <
  const V extends readonly [string, ...string[]],
  A extends ApiField<string, z.ZodType, V[number]> | undefined = undefined,
>(
  values: V,
  shown?: A,
) => column(z.enum(values) as z.ZodType<V[number]>, (v: V[number]) => v, 64, shown);

/** The API's timestamps: ISO 8601 in UTC, whole seconds. */
export const instantResponse = z.iso.datetime().meta({ description: 'ISO 8601 instant in UTC (`Z`).' });
const wholeSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** An instant kept as epoch milliseconds and stored as ISO 8601 in `columnName` (range filters compare it). */
export const instantMs = <N extends string>(columnName: string, name: N) =>
  column(
    z.string().transform((s) => Date.parse(s)),
    (ms: number) => new Date(ms).toISOString(),
    32,
    api(name, instantResponse, wholeSeconds),
    columnName,
  );

/** An instant kept and stored as an ISO 8601 string; the API shows it in whole seconds. */
export const isoInstant = <N extends string>(name: N) =>
  column(
    z.string(),
    (iso: string) => iso,
    32,
    api(name, instantResponse, (iso: string) => wholeSeconds(Date.parse(iso))),
  );

/**
 * A value stored as JSON text. `fit` brings it within `cap` characters (a list keeps its longest
 * prefix that fits, see `fitList`, and a `…_total` field says how long it was); a value that still
 * does not fit is a programming error and throws.
 */
export function json<S extends z.ZodType, A extends ApiField<string, z.ZodType, z.output<S>> | undefined = undefined>(
  schema: S,
  cap: number,
  fit: (value: z.output<S>) => z.output<S>,
  shown?: A,
) {
  type T = z.output<S>;
  const encode = (value: T) => {
    const text = JSON.stringify(fit(value));
    if (text.length > cap) throw new Error(`a JSON column exceeds its cap of ${cap} characters`);
    return text;
  };
  return column(jsonColumn(schema), encode, cap, shown);
}

/** Fields with their keys: the table an entity's row schema, writer, view and response come from. */
export function fieldTable<F extends Fields>(fields: F) {
  const entries = Object.entries(fields);
  const shape: Record<string, z.ZodType> = Object.assign({}, ...entries.map(([key, f]) => f.shape(key)));
  return {
    fields,
    /** Every column's parser, by column name. */
    shape,
    /** The stored type of parsed columns. */
    read(columns: Record<string, unknown>): RecordOf<F> {
      return Object.fromEntries(entries.map(([key, f]) => [key, f.read(columns, key)])) as RecordOf<F>;
    },
    /** The columns of a record, every one within its cap. */
    write(record: RecordOf<F>): Record<string, Column> {
      return Object.assign({}, ...entries.map(([key, f]) => f.write((record as Record<string, unknown>)[key], key)));
    },
    /** What the API shows of a record, in table order. */
    view(record: RecordOf<F>): ViewOf<F> {
      const out: Record<string, unknown> = {};
      for (const [key, f] of entries) if (f.api) out[f.api.name] = f.api.show((record as Record<string, unknown>)[key]);
      return out as ViewOf<F>;
    },
    /** The API fields' schemas, in table order: the response schema's shape. */
    responseShape(): ResponseShape<F> {
      const out: Record<string, z.ZodType> = {};
      for (const [, f] of entries) if (f.api) out[f.api.name] = f.api.schema;
      return out as ResponseShape<F>;
    },
    /** The total cap of the table's columns (the entity size bound, in characters). */
    totalCap: entries.reduce((n, [, f]) => n + f.cap, 0),
  };
}

/** Exact type equality, for compile-time checks (`const _: Equal<A, B> = true`). */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
