import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { backImports, folderCycles, importGraph, specifiersOf, type ImportEdge } from './import-graph.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// The layering of the app: shared/ holds all logic and depends on nothing around it (functions/,
// dev/, test/, bench/ import shared/, never the other way), and its folders form no cycle, so
// each can be read, tested and moved with what it depends on below it.
describe('module boundaries', () => {
  const edges = importGraph(root, ['shared', 'functions']);

  it('reads the import graph (sanity: the root reaches the use-cases, functions reach the root)', () => {
    expect(edges.length).toBeGreaterThan(200);
    expect(edges).toContainEqual({ from: 'shared/root.ts', to: 'shared/compose.ts', specifier: './compose.js' });
    expect(edges).toContainEqual({ from: 'functions/health.ts', to: 'shared/root.ts', specifier: '../shared/root.js' });
  });

  it('shared/ imports nothing from functions/, dev/, test/ or bench/', () => {
    expect(backImports(edges)).toEqual([]);
  });

  it("shared/'s top-level folders (and files directly in shared/) import each other without cycles", () => {
    expect(folderCycles(edges)).toEqual([]);
  });
});

describe('the boundary checks themselves', () => {
  const edge = (from: string, to: string): ImportEdge => ({ from, to, specifier: to });

  it('find every kind of import, and none in comments, strings or regular expressions', () => {
    const source = [
      "import type { A } from './a.js';",
      "import { type B } from './b.js';",
      "export { C } from './c.js';",
      "export * from './d.js';",
      "import './e.js';",
      "const f = () => import('./f.js');",
      "type G = import('./g.js').G;",
      "// import('./comment.js')",
      'const s = "import(\'./string.js\')";',
      "const r = /from '.\\/regex.js'/;",
    ].join('\n');
    expect(specifiersOf(source)).toEqual(['./a.js', './b.js', './c.js', './d.js', './e.js', './f.js', './g.js']);
  });

  it('report a back-import and a cycle between two folders', () => {
    const edges = [
      edge('shared/openapi/operations.ts', 'functions/oauth-callback.ts'),
      edge('shared/oauth/access-token.ts', 'shared/sync/errors.ts'),
      edge('shared/sync/run-job.ts', 'shared/oauth/access-token.ts'),
      edge('shared/sync/run-job.ts', 'shared/log.ts'),
    ];
    expect(backImports(edges)).toEqual([
      "shared/openapi/operations.ts imports functions/oauth-callback.ts ('functions/oauth-callback.ts')",
    ]);
    expect(folderCycles(edges)).toEqual([
      'cycle shared/oauth/ ↔ shared/sync/: shared/oauth/ → shared/sync/ (shared/oauth/access-token.ts imports shared/sync/errors.ts); ' +
        'shared/sync/ → shared/oauth/ (shared/sync/run-job.ts imports shared/oauth/access-token.ts)',
    ]);
  });

  it('count a file directly in shared/ as its own node, and imports inside one folder as none', () => {
    const edges = [
      edge('shared/root.ts', 'shared/telemetry/setup.ts'),
      edge('shared/telemetry/setup.ts', 'shared/root.ts'),
      edge('shared/sync/a.ts', 'shared/sync/b.ts'),
      edge('shared/sync/b.ts', 'shared/sync/a.ts'),
    ];
    expect(folderCycles(edges)).toEqual([
      'cycle shared/root.ts ↔ shared/telemetry/: shared/root.ts → shared/telemetry/ (shared/root.ts imports shared/telemetry/setup.ts); ' +
        'shared/telemetry/ → shared/root.ts (shared/telemetry/setup.ts imports shared/root.ts)',
    ]);
  });
});
