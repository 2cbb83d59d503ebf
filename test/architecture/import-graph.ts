import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** One import of one file: `from` and `to` are paths relative to the repository, with `/`. */
export interface ImportEdge {
  from: string;
  to: string;
  specifier: string;
}

const posix = (path: string) => path.split(sep).join('/');

/**
 * Every module specifier a TypeScript source names: `import … from`, `import type`, `export … from`,
 * side-effect imports, `import()` calls and `import('…')` types. Parsed with the compiler's own
 * parser, so comments, strings and regular expressions never count.
 */
export function specifiersOf(source: string, fileName = 'file.ts'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [first] = node.arguments;
      if (first && ts.isStringLiteralLike(first)) found.push(first.text);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : tsFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The relative imports of every .ts file under `folders` of `root` (packages are left out). */
export function importGraph(
  root: string,
  folders: string[],
  read: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const folder of folders) {
    for (const file of tsFiles(join(root, folder))) {
      for (const specifier of specifiersOf(read(file), file)) {
        if (!specifier.startsWith('.')) continue;
        // Sources import their siblings as `.js` (NodeNext); the file on disk is the `.ts`.
        const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
        edges.push({ from: posix(relative(root, file)), to: posix(relative(root, target)), specifier });
      }
    }
  }
  return edges;
}

/** Imports from shared/ into a folder that shared/ must never depend on. */
export function backImports(edges: ImportEdge[], forbidden = ['functions', 'dev', 'test', 'bench']): string[] {
  return edges
    .filter((e) => e.from.startsWith('shared/') && forbidden.some((f) => e.to === f || e.to.startsWith(`${f}/`)))
    .map((e) => `${e.from} imports ${e.to} ('${e.specifier}')`);
}

/** shared/'s unit of layering: its top-level folder, or the file itself for files directly in shared/. */
export const nodeOf = (path: string): string | undefined => {
  const parts = path.split('/');
  if (parts[0] !== 'shared') return undefined;
  return parts.length > 2 ? `shared/${parts[1]}/` : path;
};

/**
 * Cycles between shared/'s nodes (folders and top-level files): each as the path of nodes, with
 * one file edge per step so the offending import can be found. Uses Tarjan's strongly connected
 * components; a component of more than one node is a cycle.
 */
export function folderCycles(edges: ImportEdge[]): string[] {
  const graph = new Map<string, Map<string, ImportEdge>>();
  for (const e of edges) {
    const a = nodeOf(e.from);
    const b = nodeOf(e.to);
    if (!a || !b || a === b) continue;
    if (!graph.has(a)) graph.set(a, new Map());
    if (!graph.get(a)!.has(b)) graph.get(a)!.set(b, e);
    if (!graph.has(b)) graph.set(b, new Map());
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)!.keys()) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
  // Each component as one readable loop through its nodes, naming the file edge of every step.
  return components.map((component) => {
    const inside = new Set(component);
    const start = component[0]!;
    const path = shortestLoop(start, (n) => [...graph.get(n)!.keys()].filter((m) => inside.has(m)));
    const steps = path.slice(0, -1).map((n, i) => {
      const e = graph.get(n)!.get(path[i + 1]!)!;
      return `${n} → ${path[i + 1]} (${e.from} imports ${e.to})`;
    });
    return `cycle ${component.join(' ↔ ')}: ${steps.join('; ')}`;
  });
}

/** A shortest path from `start` back to itself (breadth first). */
function shortestLoop(start: string, next: (node: string) => string[]): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const node = queue.shift()!;
    for (const m of next(node)) {
      if (m === start) return [start, ...rebuild(previous, node, start), start];
      if (!previous.has(m) && m !== start) {
        previous.set(m, node);
        queue.push(m);
      }
    }
  }
  return [start, start];
}

function rebuild(previous: Map<string, string>, last: string, start: string): string[] {
  const path: string[] = [];
  for (let at: string | undefined = last; at !== undefined && at !== start; at = previous.get(at)) path.unshift(at);
  return path;
}
