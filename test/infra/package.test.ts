import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 19, finding 11: what the Function App runs is exactly what `npm run package` assembles
// (azure.yaml `dist`, no remote build). This builds the package into a temporary directory and
// lists it. Installing the production dependencies (`npm ci --omit=dev`) took 52 s and 93 s on
// this machine, so the test builds with --no-install and checks node_modules.list — the lockfile
// entries `npm ci --omit=dev` installs (the same 273 paths, compared once by hand) — against a
// dependency walk of its own.

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const out = mkdtempSync(join(tmpdir(), 'package-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function files(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

interface LockEntry {
  dev?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
type Manifest = { main: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };
const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, LockEntry> };
const manifest = JSON.parse(read('package.json')) as Manifest;

/** Node's lookup of `name` from the package at lockfile path `from`: nearest node_modules upwards. */
function resolve(from: string, name: string): string {
  for (let dir = from; ; dir = dir.includes('/node_modules/') ? dir.slice(0, dir.lastIndexOf('/node_modules/')) : '') {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!dir) throw new Error(`${name} (needed by ${from || 'the root'}) is not in the lockfile`);
  }
}

/** Every lockfile path reachable from the root's production dependencies. */
function productionClosure(): Set<string> {
  const seen = new Set<string>();
  const visit = (from: string, deps: Record<string, string>) => {
    for (const name of Object.keys(deps)) {
      const path = resolve(from, name);
      if (seen.has(path)) continue;
      seen.add(path);
      const entry = lock.packages[path]!;
      const peers = Object.keys(entry.peerDependencies ?? {}).filter((p) => !entry.peerDependenciesMeta?.[p]?.optional);
      visit(path, {
        ...entry.dependencies,
        ...entry.optionalDependencies,
        ...Object.fromEntries(peers.map((p) => [p, '*'])),
      });
    }
  };
  visit('', manifest.dependencies);
  return seen;
}

let listed: string[];
let built: string[];
beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'dev/package.mjs'), '--out', out, '--no-install'], {
    cwd: root,
    stdio: 'pipe',
    timeout: 170_000,
  });
  built = files(out).sort();
  listed = readFileSync(join(out, 'node_modules.list'), 'utf8').trim().split('\n');
}, 180_000);

describe('the deployment package (npm run package)', () => {
  it('holds host.json, a trimmed package.json and compiled functions/ and shared/, nothing else', () => {
    expect([...new Set(built.map((f) => f.split('/')[0]))].sort()).toEqual([
      'dist',
      'host.json',
      'node_modules.list',
      'package.json',
    ]);
    const dist = built.filter((f) => f.startsWith('dist/'));
    expect([...new Set(dist.map((f) => f.split('/')[1]))].sort()).toEqual(['functions', 'shared']);
    expect(dist.filter((f) => !f.endsWith('.js'))).toEqual([]);
    expect(built.filter((f) => /(^|\/)(dev|test|bench|sim)(\/|$)|\.ts$|\.map$|local\.settings/.test(f))).toEqual([]);
    // Every source file of functions/ and shared/ is there, compiled.
    const sources = [...files(join(root, 'functions'), 'functions/'), ...files(join(root, 'shared'), 'shared/')].filter(
      (f) => f.endsWith('.ts'),
    );
    expect(sources.length).toBeGreaterThan(40);
    expect(dist.sort()).toEqual(sources.map((f) => `dist/${f.replace(/\.ts$/, '.js')}`).sort());
    expect(built).toContain(manifest.main);
    expect(readFileSync(join(out, 'host.json'), 'utf8')).toBe(read('host.json'));
  });

  it('package.json keeps what the runtime reads and the production dependencies; no scripts, no devDependencies', () => {
    const shipped = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(shipped).sort()).toEqual([
      'dependencies',
      'description',
      'engines',
      'main',
      'name',
      'private',
      'type',
      'version',
    ]);
    expect(shipped.dependencies).toEqual(manifest.dependencies);
    expect(shipped.main).toBe(manifest.main);
    expect(shipped.type).toBe('module');
  });

  it('node_modules gets exactly the production closure of the lockfile: no devDependency, not the `node` binary', () => {
    expect(listed).toEqual([...productionClosure()].sort());
    expect(listed.length).toBeGreaterThan(100);
    // A devDependency is there only when a production package needs it too (@types/node is one).
    const neededBy = (name: string) =>
      listed.filter((p) =>
        Object.keys({ ...lock.packages[p]!.dependencies, ...lock.packages[p]!.optionalDependencies }).includes(name),
      );
    for (const dev of Object.keys(manifest.devDependencies)) {
      if (listed.includes(`node_modules/${dev}`)) expect(neededBy(dev), dev).not.toEqual([]);
    }
    for (const name of ['node', 'azurite', 'vitest', 'typescript', 'selfsigned', 'autocannon']) {
      expect(
        listed.some((p) => p === `node_modules/${name}` || p.endsWith(`/node_modules/${name}`)),
        name,
      ).toBe(false);
    }
    for (const dep of Object.keys(manifest.dependencies)) expect(listed, dep).toContain(`node_modules/${dep}`);
    expect(listed.every((p) => !lock.packages[p]!.dev)).toBe(true);
  });

  it('the compiled app loads from the package alone: every function is defined without dev/ or test/', () => {
    // The package's files with the dependencies beside them, as on the platform.
    symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'));
    try {
      const probe = `const m = await import(${JSON.stringify(join(out, 'dist/functions/all.js'))}); console.log(m.definitions.map((d) => d.name).join(','));`;
      const names = execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
        cwd: out,
        encoding: 'utf8',
        env: { PATH: process.env.PATH },
      }).trim();
      expect(names.split(',')).toEqual(expect.arrayContaining(['syncWorker', 'syncTimer', 'health']));
    } finally {
      rmSync(join(out, 'node_modules'));
    }
  });
});

describe('deployment configuration', () => {
  it('azure.yaml ships .deploy/package with the remote build off', () => {
    const yaml = read('azure.yaml');
    expect(yaml).toMatch(/^ {4}dist: \.deploy\/package$/m);
    expect(yaml).toMatch(/^ {4}remoteBuild: false$/m);
    expect(yaml).not.toMatch(/remoteBuild: true/);
    expect((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.package).toBe(
      'node dev/package.mjs',
    );
    expect(read('.gitignore')).toMatch(/^\.deploy\/$/m);
  });

  it('.funcignore, for a publish from the repository root, lets through only what the package holds', () => {
    const repo = mkdtempSync(join(tmpdir(), 'funcignore-'));
    try {
      execFileSync('git', ['init', '-q', repo]);
      writeFileSync(join(repo, '.gitignore'), read('.funcignore'));
      const paths = [
        'host.json',
        'package.json',
        'dist/functions/index.js',
        'dist/shared/config.js',
        'node_modules/zod/index.js',
        'dist/test/a.js',
        'dist/dev/start.js',
        'dist/bench/run.js',
        'dist/functions/index.js.map',
        'dev/start.ts',
        'test/a.ts',
        'shared/config.ts',
        'functions/index.ts',
        'infra/main.bicep',
        'local.settings.json',
        'local.settings.json.example',
        'README.md',
        'node_modules/zod/index.d.ts',
      ];
      for (const p of paths) {
        mkdirSync(join(repo, dirname(p)), { recursive: true });
        writeFileSync(join(repo, p), '');
      }
      const added = execFileSync('git', ['-C', repo, 'add', '--all', '--dry-run'], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map((l) => l.replace(/^add '(.*)'$/, '$1'));
      expect(added.sort()).toEqual([
        'dist/functions/index.js',
        'dist/shared/config.js',
        'host.json',
        'node_modules/zod/index.js',
        'package.json',
      ]);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
