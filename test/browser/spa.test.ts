import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSignInFunctions } from '../../dev/demo/demo-sign-in.js';
import { buildWeb } from '../../dev/web/build.js';
import { definitions } from '../../functions/all.js';
import { foldCase } from '../../shared/items/message.js';
import { mailCutoff } from '../../shared/sync/mail-stream.js';
import { calendarTruth, folderId, mailboxTruth, simControl } from '../support/sim-control.js';
import { startStack, type Stack } from '../support/stack.js';
import { truthEvent } from '../support/truth.js';
import { CHROMIUM, launchChromium } from './chromium.js';

// The reference SPA in headless Chromium over the real stack: the host serving web/'s production
// build beside the API, Azurite, and the simulator with its consent page. One user's session, in order.

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EMAIL = 'alex@contoso.example';
const USERS = [
  { email: EMAIL, display_name: 'Alex Wilber' },
  { email: 'megan@contoso.example', display_name: 'Megan Bowen' },
];

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let app: string;
let outDir: string;
const consoleErrors: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function seriousViolations(): Promise<string[]> {
  await page.evaluate(axe.source);
  const result = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as axe.AxeResults;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const card = (provider: string) => page.locator(`article[data-provider="${provider}"]`);

/** Connect through the simulator's consent page, back to /oauth/callback, until the first sync succeeded. */
async function connect(provider: 'microsoft_calendar' | 'microsoft_outlook'): Promise<void> {
  await card(provider).getByRole('button', { name: 'Connect', exact: true }).click();
  await page.waitForURL((url) => url.origin === stack.sim.baseUrl);
  await expect(page.getByRole('heading', { name: 'Permissions requested' }).isVisible()).resolves.toBe(true);
  await page.click('#accept');
  await page.waitForURL((url) => url.origin === app && url.pathname === '/');
  await page
    .getByRole('status')
    .filter({ hasText: `Connected ${EMAIL}` })
    .waitFor();
  await card(provider).locator('[data-sync-status="succeeded"]').waitFor({ timeout: 30_000 });
}

beforeAll(
  async () => {
    outDir = await mkdtemp(join(tmpdir(), 'spa-dist-'));
    const port = await freePort();
    app = `http://127.0.0.1:${port}`;
    const [, started] = await Promise.all([
      buildWeb(root, { outDir, logLevel: 'warn', generateClient: false }),
      startStack({
        port,
        web: outDir,
        redirectUri: `${app}/oauth/callback`,
        // The host serves demo mode's sign-in beside the app's functions, as `npm start` does.
        serve: [
          ...definitions,
          ...demoSignInFunctions({ callerToken: (email) => stack.sim.callerToken(email) }, USERS),
        ],
      }),
    ]);
    stack = started;
    for (const user of USERS) {
      stack.user(user.email, {
        ...user,
        calendar: { events: 40, recurring_series: 3, all_day: 3 },
        mailbox: { messages: 60 },
      });
    }
    // The simulated user sees the consent page, as at Microsoft, instead of an immediate redirect.
    await simControl(stack.sim, 'POST', 'consent', { auto: false });
    browser = await launchChromium();
    context = await browser.newContext({
      ignoreHTTPSErrors: true, // the simulator's self-signed certificate (.local/certs)
      timezoneId: 'UTC',
      locale: 'en-GB',
      viewport: { width: 1440, height: 900 },
    });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('console', (msg) => {
      if (msg.type() === 'error' && page.url().startsWith(app)) consoleErrors.push(msg.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    // Installing Chromium first (apt-get, on a fresh CI machine) takes minutes; a prepared machine, seconds.
  },
  existsSync(CHROMIUM) ? 120_000 : 600_000,
);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('the reference SPA', () => {
  it('signs in as a seeded demo user and connects both providers through the consent page', async () => {
    await page.goto(app);
    await page.getByRole('button', { name: /Alex Wilber/ }).waitFor();
    expect(await seriousViolations()).toEqual([]);
    await page.getByRole('button', { name: /Alex Wilber/ }).click();
    await page.getByRole('tab', { name: 'Accounts', selected: true }).waitFor();
    await connect('microsoft_calendar');
    // Outlook's access tokens live 1 s, so that a revoked grant shows on the next sync (the reconnect test).
    await simControl(stack.sim, 'POST', 'tokens', { access_token_ttl_s: 1 });
    await connect('microsoft_outlook');
    await simControl(stack.sim, 'POST', 'tokens', { access_token_ttl_s: 3600 });
    const token = await stack.callerToken(EMAIL);
    const list = await stack.api('GET', 'integrations', { token });
    expect(list.body.results.map((i: { provider: string }) => i.provider).sort()).toEqual([
      'microsoft_calendar',
      'microsoft_outlook',
    ]);
    expect(await seriousViolations()).toEqual([]);
  });

  it('the week view shows exactly the simulator’s events of that week', async () => {
    await page.getByRole('tab', { name: 'Calendar' }).click();
    const week = page.locator('section.week');
    await week.getByText(/^\d+ events$/).waitFor();
    const weekStart = new Date((await week.getAttribute('data-week-start')) as string);
    const weekEnd = new Date(weekStart.getTime() + 7 * 86_400_000);
    const truth = (
      await calendarTruth(stack.sim, EMAIL, { start: weekStart.toISOString(), end: weekEnd.toISOString() })
    )
      .map(truthEvent)
      .map((e) => `${e.external_id} ${e.start} ${e.end} ${e.title}`);
    expect(truth.length).toBeGreaterThan(0);
    const shown = await page.$$eval('.week-grid [data-external-id]', (nodes) =>
      nodes.map((el) => {
        const title = el.querySelector('.event-title')?.textContent ?? el.textContent ?? '';
        const data = (name: string) => el.getAttribute(`data-${name}`);
        return `${data('external-id')} ${data('start')} ${data('end')} ${title === '(no title)' ? '' : title}`;
      }),
    );
    // An event over several days is drawn once per day: compare the distinct ones.
    expect([...new Set(shown)].sort()).toEqual([...new Set(truth)].sort());
    await page.locator('.week-grid .event').first().click();
    await page.locator('aside.details').waitFor();
    expect(await seriousViolations()).toEqual([]);
    await mkdir(join(root, 'docs', 'screenshots'), { recursive: true });
    await page.screenshot({ path: join(root, 'docs', 'screenshots', 'week-view.png'), fullPage: true });
  });

  it('the mail list searches and filters unread as the simulator’s inbox says', async () => {
    await page.getByRole('tab', { name: 'Mail' }).click();
    const rows = page.locator('.messages .message');
    await rows.first().waitFor();
    const inbox = await folderId(stack.sim, EMAIL, 'inbox');
    const cutoff = mailCutoff(new Date(), 30).getTime();
    const truth = (await mailboxTruth(stack.sim, EMAIL)).filter(
      (m) => m.parentFolderId === inbox && Date.parse(m.receivedDateTime) >= cutoff,
    );
    await rows.first().click();
    await page.locator('aside.details').waitFor();
    expect(await seriousViolations()).toEqual([]);
    await page.screenshot({ path: join(root, 'docs', 'screenshots', 'mail-list.png') });

    // A word of the newest subject: the list then holds exactly the inbox's messages that match it.
    const subject = (await rows.first().locator('.subject').textContent()) ?? '';
    const term = subject.split(/[^\p{L}]+/u).sort((a, b) => b.length - a.length)[0] ?? '';
    expect(term.length).toBeGreaterThan(3);
    await page.getByRole('searchbox', { name: 'Search mail' }).fill(term);
    await page.keyboard.press('Enter');
    const needle = foldCase(term);
    const matching = truth
      .filter((m) =>
        [m.subject, m.bodyPreview, m.from?.emailAddress.name, m.from?.emailAddress.address].some((f) =>
          foldCase(f ?? '').includes(needle),
        ),
      )
      .map((m) => m.id)
      .sort();
    await page.getByText(new RegExp(`^${matching.length}\\+? messages$`)).waitFor();
    while (await page.getByRole('button', { name: 'Load more' }).isVisible()) {
      await page.getByRole('button', { name: 'Load more' }).click();
      await page.waitForTimeout(200);
    }
    const found = await page.$$eval('.messages [data-external-id]', (n) =>
      n.map((e) => e.getAttribute('data-external-id')),
    );
    expect(found.sort()).toEqual(matching);

    await page.getByRole('searchbox', { name: 'Search mail' }).fill('');
    await page.keyboard.press('Enter');
    await page.getByLabel('Unread only').check();
    const unread = truth.filter((m) => m.isRead !== true && m.isRead !== 'true').length;
    expect(unread).toBeGreaterThan(0);
    await page.getByText(new RegExp(`^${Math.min(unread, 25)}\\+? messages$`)).waitFor();
    expect(await rows.count()).toBe(await page.locator('.messages .message.unread').count());
    await page.getByLabel('Unread only').uncheck();
  });

  it('works from the keyboard: skip link, arrow keys across tabs, Enter opens an event, Escape closes it', async () => {
    await page.getByRole('tab', { name: 'Accounts' }).click();
    await page.reload();
    // A reload under a loaded machine (the whole suite on 2 cores) can take longer than the default 15 s.
    await page.getByRole('tab', { name: 'Accounts', selected: true }).waitFor({ timeout: 45_000 });
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await page.getByRole('tab', { name: 'Accounts' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate('document.activeElement?.id')).toBe('tab-calendar');
    await page.getByRole('tab', { name: 'Calendar', selected: true }).waitFor();
    await page.locator('.week-grid .event').first().waitFor();
    let onEvent = false;
    for (let i = 0; i < 30 && !onEvent; i++) {
      await page.keyboard.press('Tab');
      onEvent = await page.evaluate("document.activeElement?.classList.contains('event') === true");
    }
    expect(onEvent).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForFunction("document.activeElement?.id === 'event-details-title'");
    await page.keyboard.press('Escape');
    await page.locator('aside.details').waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: 'Calendar' }).focus();
    await page.keyboard.press('End');
    expect(await page.evaluate('document.activeElement?.id')).toBe('tab-mail');
    await page.keyboard.press('ArrowRight'); // wraps round
    expect(await page.evaluate('document.activeElement?.id')).toBe('tab-accounts');
    await page.getByRole('tab', { name: 'Accounts', selected: true }).waitFor();
  });

  it('offers Reconnect when Microsoft refused the grant, and reconnecting makes the integration active again', async () => {
    await page.getByRole('tab', { name: 'Accounts' }).click();
    await simControl(stack.sim, 'POST', `users/${EMAIL}/revoke`);
    await page.waitForTimeout(1100); // Outlook's 1 s access token has expired: the sync must refresh
    await card('microsoft_outlook').getByRole('button', { name: 'Sync now' }).click();
    const reconnect = card('microsoft_outlook').getByRole('button', { name: 'Reconnect' });
    await reconnect.waitFor({ timeout: 30_000 });
    expect(await card('microsoft_outlook').locator('[data-status]').getAttribute('data-status')).toBe(
      'reauth_required',
    );
    await reconnect.click();
    await page.waitForURL((url) => url.origin === stack.sim.baseUrl);
    await page.click('#accept');
    await page.waitForURL((url) => url.origin === app && url.pathname === '/');
    await card('microsoft_outlook').locator('[data-status="active"]').waitFor();
  });

  it('disconnects: the card offers Connect again and the API no longer has the integration', async () => {
    const calendar = card('microsoft_calendar');
    const id = await calendar.locator('[data-integration-id]').getAttribute('data-integration-id');
    await calendar.getByRole('button', { name: 'Disconnect' }).click();
    await calendar.getByRole('button', { name: 'Confirm disconnect' }).click();
    await calendar.getByRole('button', { name: 'Connect', exact: true }).waitFor();
    const token = await stack.callerToken(EMAIL);
    expect((await stack.api('GET', `integrations/${id}`, { token })).status).toBe(404);
    await page.getByRole('tab', { name: 'Calendar' }).click();
    await page.getByText('Connect Microsoft Calendar to see your week.').waitFor();
  });

  it('printed no console error and threw nothing along the way', () => {
    expect(consoleErrors).toEqual([]);
  });

  it('shows a problem+json answer with its detail and request id (a state the API refuses)', async () => {
    await page.evaluate("sessionStorage.setItem('integrato.connect.not-a-real-state', 'microsoft_calendar')");
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/integrations/oauth/callback'));
    await page.goto(`${app}/oauth/callback?code=made-up&state=not-a-real-state`);
    const response = await answer;
    expect(response.status()).toBe(400);
    const requestId = response.headers()['x-request-id'];
    const banner = page.locator('[role="alert"][data-code="invalid_state"]');
    await banner.waitFor();
    expect(await banner.locator('.request-id').textContent()).toBe(requestId);
    expect(await banner.textContent()).toContain(((await response.json()) as { detail: string }).detail);
    expect(page.url()).toBe(`${app}/#accounts`); // the code left the address bar
  });
});
