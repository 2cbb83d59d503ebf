import type { HttpMethod } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { RouteTable } from '../../dev/host/route-table.js';
import type { HttpFunction } from '../../shared/functions/definitions.js';

const fn = (name: string, route: string, methods: HttpMethod[] = ['GET']): HttpFunction => ({
  kind: 'http',
  name,
  route,
  methods,
  handler: () => ({}),
});
const found = (table: RouteTable, method: string, path: string) => {
  const m = table.match(method, path.split('/').filter(Boolean));
  return m.kind === 'found' ? { name: m.fn.name, params: m.params } : m;
};

describe('RouteTable', () => {
  it('ranks literal > parameter > optional > catch-all segment by segment, in any registration order', () => {
    const fns = [
      fn('all', 'files/{*path}'),
      fn('opt', 'files/{id?}'),
      fn('param', 'files/{id}'),
      fn('lit', 'files/latest'),
    ];
    for (const order of [fns, [...fns].reverse()]) {
      const table = new RouteTable(order);
      expect(found(table, 'GET', 'files/latest')).toEqual({ name: 'lit', params: {} });
      expect(found(table, 'GET', 'files/7')).toEqual({ name: 'param', params: { id: '7' } });
      expect(found(table, 'GET', 'files')).toEqual({ name: 'opt', params: {} });
      expect(found(table, 'GET', 'files/a/b/c')).toEqual({ name: 'all', params: { path: 'a/b/c' } });
    }
  });

  it('matches literals case-insensitively and keeps parameter values as sent', () => {
    const table = new RouteTable([fn('one', 'Integrations/{Id}')]);
    expect(found(table, 'GET', 'INTEGRATIONS/AbC')).toEqual({ name: 'one', params: { Id: 'AbC' } });
  });

  it('reports 405 with the allowed methods of every route matching the path', () => {
    const table = new RouteTable([fn('a', 'x/{id}', ['GET']), fn('b', 'x/y', ['POST', 'PATCH'])]);
    expect(found(table, 'DELETE', 'x/y')).toEqual({ kind: 'method-not-allowed', allow: ['GET', 'PATCH', 'POST'] });
    expect(found(table, 'GET', 'x/y/z')).toEqual({ kind: 'not-found' });
    expect(found(table, 'GET', 'x')).toEqual({ kind: 'not-found' });
  });

  it('serves an empty route at the prefix itself', () => {
    const table = new RouteTable([fn('root', '')]);
    expect(found(table, 'GET', '')).toEqual({ name: 'root', params: {} });
    expect(found(table, 'GET', 'x')).toEqual({ kind: 'not-found' });
  });

  it.each([
    ['a/{id:int}', /unsupported segment/],
    ['a/x{id}', /unsupported segment/],
    ['{*rest}/a', /catch-all as its last segment/],
    ['a/{*rest?}', /optional catch-all/],
    ['{id?}/a', /optional parameters at its end/],
    ['{id}/{ID}', /repeats a parameter name/],
  ])('rejects the template %j', (route, message) => {
    expect(() => new RouteTable([fn('bad', route)])).toThrow(message);
  });

  it('rejects two functions serving the same template and method, allows disjoint methods', () => {
    expect(() => new RouteTable([fn('a', 'x/{id}', ['GET']), fn('b', 'X/{other}', ['GET', 'POST'])])).toThrow(
      /"a" and "b" both serve GET/,
    );
    expect(() => new RouteTable([fn('a', 'x/{id}', ['GET']), fn('b', 'x/{id}', ['POST'])])).not.toThrow();
    expect(() => new RouteTable([fn('a', 'x', [])])).toThrow(/lists no HTTP methods/);
  });
});
