import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

// The browser tests drive Debian's Chromium through playwright-core (no browser download). Where it
// is missing, the set-up installs it with apt-get when it can (root on Debian, as CI is); otherwise
// it stops with what to install.

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Makes sure CHROMIUM exists, installing Debian's `chromium` package when this process may. */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (isRoot() && existsSync('/usr/bin/apt-get') && CHROMIUM === '/usr/bin/chromium') {
    console.log('[browser] /usr/bin/chromium is missing: apt-get install -y chromium');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
    if (existsSync(CHROMIUM)) return CHROMIUM;
  }
  throw new Error(
    `The browser tests need Chromium at ${CHROMIUM}. Install it: on Debian/Ubuntu \`sudo apt-get install -y chromium\` ` +
      '(Ubuntu: `chromium-browser`), on macOS `brew install --cask chromium`; or set CHROMIUM_PATH to a Chromium or Chrome binary.',
  );
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_FLAGS, headless: true });
}
