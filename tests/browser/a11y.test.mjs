// Accessibility (issue 14): axe-core (npm) inside Debian's chromium finds
// no WCAG 2.1 A/AA or best-practice violation on any page state, at 1280
// and 390 px: home, its error state and its choice of addresses, login, reports (listed, clean),
// the pending "checking" page, a customer's home and forwards (with the
// switch confirmation), refused mail, and the admin pages (dashboard with
// the link builder, submissions). Screenshots go to tests/browser/screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../lib/chromium.mjs';
import { startStack, ROOT } from '../lib/stack.mjs';
import { startRbldnsd } from '../lib/rbldnsd.mjs';
import { axeViolations } from '../lib/axe.mjs';

const SHOTS = join(ROOT, 'tests/browser/screenshots');
const HANG = { timeout: 180000 };
let dns, stack, browser;

before(async () => {
  dns = await startRbldnsd();
  stack = await startStack({
    conf: {
      'dns.servers': dns.server, 'site.outgoing_ips': '192.0.2.2',
      // a silent list and check threads: the pending page can be seen
      'dns.lists': 'zen.spamhaus.org, bl.spamcop.net, xbl.spamhaus.org', 'checks.threads': 4, 'dns.timeout_ms': 3000,
    },
  });
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
});
after(async () => { await browser?.close(); await stack?.stop(); await dns?.stop(); });

async function check(page, name, width) {
  const v = await axeViolations(page);
  await page.screenshot({ path: join(SHOTS, `a11y-${name}-${width}.png`) });
  assert.deepEqual(v, [], `${name} at ${width} px`);
}

async function logIn(page, login, password) {
  await page.goto(`${stack.base}/login`);
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForLoadState();
}

for (const width of [1280, 390]) {
  test(`no axe violations on any page state at ${width} px`, HANG, async () => {
    const ctx = await browser.newContext({ viewport: { width, height: 844 } });
    const page = await ctx.newPage();
    await page.goto(`${stack.base}/`);
    await check(page, 'home', width);
    await page.fill('#ip', 'not an address');
    await page.click('form.check-form button[type=submit]');
    await page.waitForLoadState();
    await check(page, 'home-error', width);
    // a server name with two addresses: the page asks which one sends
    await page.fill('#ip', 'multi.servers.example');
    await page.click('form.check-form button[type=submit]');
    await page.waitForLoadState();
    assert.equal(await page.locator('.host-choice button').count(), 2);
    await check(page, 'home-host-choice', width);
    if (width === 390) {
      const box = await page.locator('.host-choice button').first().boundingBox();
      assert.ok(box && box.y + box.height <= 844, 'the first choice is on a phone\'s first screen');
    }
    // the pending page (its script held back, so that its reload timer
    // cannot interrupt the audit), then the report it becomes
    await page.route('**/static/js/portal.js', (r) => r.abort());
    await page.fill('#ip', `198.51.100.${width === 390 ? 39 : 128}`);
    await page.click('form.check-form button[type=submit]');
    await page.waitForLoadState();
    if (await page.locator('meta[name="blhd-pending"]').count()) await check(page, 'pending', width);
    await page.unroute('**/static/js/portal.js');
    for (let i = 0; i < 100 && !(await page.locator('#verdict').count()); i++) {
      await new Promise((r) => setTimeout(r, 200));
      await page.reload();
    }
    await check(page, 'report-clean', width);
    await page.goto(`${stack.base}/check?ip=192.0.2.2&ticket=A11Y-${width}`);
    await page.waitForSelector('#verdict', { timeout: 15000 });
    await check(page, 'report-listed', width);
    await page.goto(`${stack.base}/login`);
    await check(page, 'login', width);

    await logIn(page, 'demo', 'demo-customer-pw');
    await page.goto(`${stack.base}/forwards`);
    await check(page, 'forwards', width);
    await page.locator('tr.forward', { hasText: 'owner.bakery@aol.com' }).getByRole('button', { name: /Turn (off|on)/ }).click();
    await page.waitForURL(/changed=/);
    await check(page, 'forwards-switched', width);
    await page.goto(`${stack.base}/`);
    await check(page, 'home-customer', width);
    await page.goto(`${stack.base}/deliveries`);
    await check(page, 'deliveries', width);
    await ctx.clearCookies();

    await logIn(page, 'admin', 'demo-admin-pw');
    await check(page, 'admin', width);
    await page.goto(`${stack.base}/admin?ip=192.0.2.2&ticket=T-1#link-builder`);
    assert.ok(await page.getByRole('button', { name: 'Copy link' }).isVisible(), 'the builder\'s link has a Copy button');
    await check(page, 'admin-link', width);
    await page.goto(`${stack.base}/admin/submissions`);
    await check(page, 'submissions', width);
    await ctx.close();
  });
}
