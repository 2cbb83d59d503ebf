// `npm run package`: the Function App's deployment package, assembled here (in CI, after `npm ci`)
// and shipped as it is: azd zips the directory (azure.yaml `dist`) and the platform builds nothing
// (remoteBuild: false). It holds only what runs in Azure:
//   host.json, package.json (no scripts, no devDependencies), dist/functions and dist/shared
//   (compiled JavaScript of tsconfig.package.json: no dev/, test/, bench/, simulator, no .ts),
//   node_modules with the production dependencies of package-lock.json (`npm ci --omit=dev`).
// Usage: node dev/package.mjs [--out <dir>] [--no-install]
// `--no-install` leaves node_modules out and writes node_modules.list instead: the lockfile entries
// `npm ci --omit=dev` installs (test/infra/package.test.ts; installing takes a minute or more).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The lockfile paths (`node_modules/…`) that `npm ci --omit=dev` installs: every entry not marked dev-only. */
export function productionLockEntries(lock) {
  return Object.entries(lock.packages ?? {})
    .filter(([path, entry]) => path !== '' && !entry.dev)
    .map(([path]) => path)
    .sort();
}

/** The shipped package.json: what the runtime reads (type, main, engines) and the production dependencies. */
export function deployedManifest(manifest) {
  const { name, version, private: isPrivate, description, type, main, engines, dependencies } = manifest;
  return { name, version, private: isPrivate, description, type, main, engines, dependencies };
}

function run(command, args, cwd) {
  execFileSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
}

export function buildPackage({ out, install }) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });

  run(
    process.execPath,
    [
      join(root, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(root, 'tsconfig.package.json'),
      '--outDir',
      join(out, 'dist'),
    ],
    root,
  );
  cpSync(join(root, 'host.json'), join(out, 'host.json'));

  if (install) {
    // npm ci wants package.json and the lockfile in step, devDependencies included; it installs
    // neither those nor their scripts, and the manifest is trimmed afterwards.
    writeFileSync(
      join(out, 'package.json'),
      JSON.stringify({ ...deployedManifest(manifest), devDependencies: manifest.devDependencies }, null, 2),
    );
    cpSync(join(root, 'package-lock.json'), join(out, 'package-lock.json'));
    const npm = process.env.npm_execpath;
    const args = ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'];
    if (npm && npm.endsWith('.js')) run(process.execPath, [npm, ...args], out);
    else run(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, out);
    rmSync(join(out, 'package-lock.json'));
  } else {
    writeFileSync(join(out, 'node_modules.list'), productionLockEntries(lock).join('\n') + '\n');
  }
  writeFileSync(join(out, 'package.json'), JSON.stringify(deployedManifest(manifest), null, 2) + '\n');
  if (!existsSync(join(out, manifest.main))) throw new Error(`the package has no ${manifest.main}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--out');
  const out = resolve(root, at >= 0 && args[at + 1] ? args[at + 1] : '.deploy/package');
  buildPackage({ out, install: !args.includes('--no-install') });
  console.log(`[package] ${out}`);
}
