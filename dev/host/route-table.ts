import type { HttpFunction } from '../../shared/functions/definitions.js';

/**
 * HTTP routing with the Functions host's template rules: `{name}` and `{name?}` parameters, a
 * trailing `{*name}` catch-all, literal segments compared case-insensitively, and literal segments
 * preferred over parameters position by position (so `integrations/calendar-events` beats
 * `integrations/{id}` whatever the registration order).
 */
export type RouteMatch =
  | { kind: 'found'; fn: HttpFunction; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

type Segment =
  | { type: 'literal'; text: string }
  | { type: 'param'; name: string; optional: boolean }
  | { type: 'catch-all'; name: string };

interface Route {
  fn: HttpFunction;
  segments: Segment[];
  rank: number[];
}

// Lower wins: literal, parameter, optional parameter, catch-all.
const RANK = { literal: 0, param: 1, optional: 2, 'catch-all': 3 } as const;

export class RouteTable {
  private readonly routes: Route[];

  constructor(functions: HttpFunction[]) {
    this.routes = functions.map((fn) => compile(fn)).sort((a, b) => compareRank(a.rank, b.rank));
    rejectDuplicates(this.routes);
  }

  /** `segments` are the decoded path segments after the route prefix. */
  match(method: string, segments: string[]): RouteMatch {
    const allow = new Set<string>();
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.fn.methods.some((m) => m === method)) return { kind: 'found', fn: route.fn, params };
      route.fn.methods.forEach((m) => allow.add(m));
    }
    return allow.size ? { kind: 'method-not-allowed', allow: [...allow].sort() } : { kind: 'not-found' };
  }
}

function compile(fn: HttpFunction): Route {
  const fail = (why: string): never => {
    throw new Error(`Function "${fn.name}": route "${fn.route}" ${why}`);
  };
  if (fn.methods.length === 0) fail('lists no HTTP methods');
  const segments = fn.route
    .split('/')
    .filter((p) => p !== '')
    .map((part, i, all): Segment => {
      const param = /^\{(\*)?([A-Za-z_][A-Za-z0-9_]*)(\?)?\}$/.exec(part);
      if (!param) {
        if (/[{}]/.test(part))
          fail(`has an unsupported segment "${part}" (constraints and mixed segments are not supported)`);
        return { type: 'literal', text: part.toLowerCase() };
      }
      const [, star, name = '', optional] = param;
      if (star && optional) fail(`cannot have an optional catch-all "${part}"`);
      if (star && i !== all.length - 1) fail('may only have a catch-all as its last segment');
      return star ? { type: 'catch-all', name } : { type: 'param', name, optional: Boolean(optional) };
    });
  segments.forEach((s, i) => {
    const later = segments.slice(i + 1);
    if (s.type === 'param' && s.optional && later.some((l) => l.type !== 'catch-all')) {
      fail(`may only have optional parameters at its end ("{${s.name}?}")`);
    }
  });
  const names = segments.flatMap((s) => (s.type === 'literal' ? [] : [s.name.toLowerCase()]));
  if (new Set(names).size !== names.length) fail('repeats a parameter name');
  const rank = segments.map((s) => (s.type === 'param' && s.optional ? RANK.optional : RANK[s.type]));
  return { fn, segments, rank };
}

// Two functions answering the same template and method would make the winner depend on list order.
function rejectDuplicates(routes: Route[]): void {
  const seen = new Map<string, Route>();
  for (const route of routes) {
    const shape = route.segments.map((s) =>
      s.type === 'literal' ? s.text : s.type === 'catch-all' ? '{*}' : s.optional ? '{?}' : '{}',
    );
    for (const method of route.fn.methods) {
      const key = `${method} ${shape.join('/')}`;
      const other = seen.get(key);
      if (other)
        throw new Error(`Functions "${other.fn.name}" and "${route.fn.name}" both serve ${method} /${route.fn.route}`);
      seen.set(key, route);
    }
  }
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    // A template that ends first is more specific than one that goes on with optional parts.
    const diff = (a[i] ?? -1) - (b[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}

function matchSegments(template: Segment[], path: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (const [i, seg] of template.entries()) {
    const value = path[i];
    if (seg.type === 'catch-all') {
      if (path.length > i) params[seg.name] = path.slice(i).join('/');
      return params;
    }
    if (value === undefined || value === '') {
      if (seg.type === 'param' && seg.optional) continue;
      return null;
    }
    if (seg.type === 'literal') {
      if (value.toLowerCase() !== seg.text) return null;
    } else {
      params[seg.name] = value;
    }
  }
  return path.length <= template.length ? params : null;
}
