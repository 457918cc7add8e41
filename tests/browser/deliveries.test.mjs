// A customer's refused mail in a real browser (Debian's Chromium through
// playwright-core) on a 390 px wide phone screen: nothing overflows
// sideways, the provider's words open, and "Full report and live check"
// lands on the report of our server (rbldnsd on loopback). Saves a
// screenshot for people.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromiumProfile } from '../lib/chromium.mjs';
import { startStack, tempDir, bin, ROOT } from '../lib/stack.mjs';
import { startRbldnsd } from '../lib/rbldnsd.mjs';

const SHOTS = join(ROOT, 'tests/browser/screenshots');
let stack, context, profile, dns;

before(async () => {
  dns = await startRbldnsd();
  stack = await startStack({ conf: { 'dns.servers': dns.server, 'site.outgoing_ips': '192.0.2.2',
    'site.outgoing_servers': 'mail3=192.0.2.2' } });
  const at = new Date(Date.now() - 600e3).toISOString();
  const log = join(stack.dir, 'mail.log');
  writeFileSync(log,
    `${at} mail3 postfix/qmgr[9]: BRW001: from=<orders@demo-bakery.example>, size=1, nrcpt=1 (queue active)\n` +
    `${at} mail3 postfix/smtp[8]: BRW001: to=<a.very.long.recipient.address.for.a.narrow.screen@aol.com>, ` +
    'relay=mx-aol.mail.gm0.yahoodns.net[67.195.204.72]:25, dsn=5.7.1, status=bounced (host mx-aol.mail.gm0.yahoodns.net' +
    '[67.195.204.72] said: 554 5.7.1 [RTR:BB] Connections will not be accepted from 192.0.2.2, because the ip is in ' +
    'Spamhaus list; see https://postmaster.yahooinc.com/error-codes (in reply to MAIL FROM command))\n');
  execFileSync(bin('tools/portalctl'), ['--conf', stack.confPath, 'maillog', log]);
  profile = tempDir('blhd-chromium-');
  context = await launchChromiumProfile(profile, {
    viewport: { width: 390, height: 844 },
  });
});

after(async () => {
  await context?.close();
  await stack?.stop();
  await dns?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('refused mail on a phone: readable, no sideways scrolling, one click to the live report', async () => {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${stack.base}/deliveries`);
  assert.match(new URL(page.url()).pathname, /^\/login$/);
  await page.getByLabel('Login').fill('demo');
  await page.getByLabel('Password').fill('demo-customer-pw');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/deliveries$/);   // back where the visitor was going
  await page.getByRole('link', { name: 'Refused mail' }).click();
  await page.getByRole('heading', { name: 'Your refused mail' }).waitFor();
  await page.getByRole('heading', { name: /AOL \(1 message\)/ }).waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `page is ${width}px wide at 390px`);
  await page.getByText(/What the provider said/).click();
  assert.match(await page.locator('pre.reply').innerText(), /\[RTR:BB\]/);
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, 'deliveries-390px.png'), fullPage: true });
  await page.getByRole('button', { name: /Full report and live check/ }).click();
  await page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);
  const report = await page.locator('main').innerText();
  assert.match(report, /192\.0\.2\.2/);
  assert.match(report, /AOL/);
  assert.deepEqual(errors, []);
});
