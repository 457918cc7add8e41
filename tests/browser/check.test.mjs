// A customer in Debian's Chromium (playwright-core): pastes a raw bounce,
// lands on the report, sees the listed row and the explanation, copies the
// link; follows a ticket link; hostile input stays inert; the report at
// phone width. Screenshots go to tests/browser/screenshots/ (not committed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../lib/chromium.mjs';
import { spawnSync } from 'node:child_process';
import { startStack, bin, ROOT } from '../lib/stack.mjs';
import { startRbldnsd } from '../lib/rbldnsd.mjs';

const SHOTS = join(ROOT, 'tests/browser/screenshots');
const bounce = readFileSync(join(ROOT, 'tests/fixtures/http/aol-rtr-bb.eml'), 'utf8');
let dns, stack, browser, context;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dns = await startRbldnsd();
  stack = await startStack({ conf: { 'dns.servers': dns.server, 'site.outgoing_ips': '192.0.2.2' } });
  // a fresh temporary profile per launch (playwright's default)
  browser = await launchChromium();
  context = await browser.newContext({
    viewport: { width: 1200, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  await dns?.stop();
});

function watch(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('dialog', (d) => { errors.push(`dialog: ${d.message()}`); d.dismiss(); });
  return errors;
}

test('paste a raw bounce, land on the report, copy its link', async () => {
  const page = await context.newPage();
  const errors = watch(page);
  await page.goto(`${stack.base}/`);
  await page.getByLabel('Paste the bounce message').fill(bounce);
  await page.getByRole('button', { name: 'Check now' }).click();
  await page.waitForURL(/\/r\/[A-Za-z0-9_-]{32}$/);
  await page.getByRole('heading', { name: "Blocked by the receiving provider's own filter" }).waitFor();
  assert.match(await page.locator('.verdict .sentence').innerText(), /Your mail to AOL bounced/);
  const zen = page.locator('table.lists tr[data-zone="zen.spamhaus.org"]');
  assert.equal(await zen.locator('.badge.listed').innerText(), 'listed');
  assert.ok(await page.getByRole('heading', { name: 'Why it happened' }).isVisible());
  // our own server: removal is our team's job, not a link for the customer
  assert.equal(await zen.locator('td').last().innerText(), 'our team handles this');
  assert.equal(await page.getByRole('link', { name: 'delisting page' }).count(), 0);

  const copy = page.getByRole('button', { name: 'Copy link' });
  assert.ok(await copy.isVisible(), 'the copy button appears with JavaScript');
  await copy.click();
  await page.getByRole('button', { name: 'Copied' }).waitFor();
  const link = await page.locator('#report-link').inputValue();
  assert.equal(link, page.url());
  const clip = await page.evaluate(() => navigator.clipboard.readText().catch(() => null));
  if (clip !== null) assert.equal(clip, link);
  await page.screenshot({ path: join(SHOTS, 'report-desktop.png'), fullPage: true });

  // the report at phone width: no horizontal scrolling of the page
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`);
  await page.screenshot({ path: join(SHOTS, 'report-phone.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('without JavaScript the link is shown to copy by hand', async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${stack.base}/check?ip=192.0.2.2`);
  await page.waitForURL(/\/r\//);
  assert.ok(await page.locator('#report-link').isVisible());
  assert.equal(await page.getByRole('button', { name: 'Copy link' }).isVisible(), false);
  await ctx.close();
});

test('a ticket link from support opens a report with the ticket', async () => {
  const page = await context.newPage();
  const errors = watch(page);
  await page.goto(`${stack.base}/check?ip=192.0.2.10&ticket=48121`);
  await page.waitForURL(/\/r\//);
  assert.match(await page.locator('.report-meta').innerText(), /ticket 48121/);
  assert.match(await page.locator('.verdict').innerText(), /192\.0\.2\.10 is listed on 1 of/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('XSS payloads in the bounce and the ticket stay inert text', async () => {
  const page = await context.newPage();
  const errors = watch(page);
  const payload = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
  await page.goto(`${stack.base}/`);
  await page.getByLabel('Paste the bounce message').fill(
    `550 5.7.1 ${payload} Client host [192.0.2.2] blocked using bl.spamcop.net ${payload}`);
  await page.getByRole('button', { name: 'Check now' }).click();
  await page.waitForURL(/\/r\//);
  assert.equal(await page.evaluate(() => window.__xss ?? null), null);
  assert.match(await page.locator('pre.diagnostic').innerText(), /<img src=x onerror=/);
  await page.goto(`${stack.base}/check?ip=192.0.2.2&ticket=${encodeURIComponent('"><script>window.__xss=3</script>')}`);
  assert.equal(await page.evaluate(() => window.__xss ?? null), null);
  assert.ok(await page.locator('.field-error').first().isVisible(), 'the bad ticket is named');
  assert.deepEqual(errors.filter((e) => !/422/.test(e)), []);
  await page.close();
});

// Where the verdict and the first thing to do sit on the first screen: at
// 390 x 844 both end within the top 844 px; screenshots at 1280 and 390.
async function firstScreen(url, name) {
  const page = await context.newPage();
  const errors = watch(page);
  const out = {};
  for (const [width, height] of [[1280, 900], [390, 844]]) {
    await page.setViewportSize({ width, height });
    await page.goto(url);
    await page.locator('#verdict').waitFor();
    const box = async (sel) => page.locator(sel).first().evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top + window.scrollY, bottom: r.bottom + window.scrollY };
    });
    out[width] = { verdict: await box('#verdict'), action: await box('#first-action > :last-child') };
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${name} at ${width}: ${overflow}px wider than the window`);
    await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
    await page.screenshot({ path: join(SHOTS, `${name}-${width}-first-screen.png`) });
  }
  assert.deepEqual(errors, []);
  await page.close();
  return out;
}

test('fix first: at 390 px the verdict and the first action are on the first screen', async () => {
  const setup = await context.newPage();
  const reports = {};
  await setup.goto(`${stack.base}/`);
  await setup.getByLabel('Paste the bounce message').fill(bounce);
  await setup.getByRole('button', { name: 'Check now' }).click();
  await setup.waitForURL(/\/r\//);
  reports['report-aol'] = setup.url();
  for (const [name, ip] of [['report-ours', '192.0.2.2'], ['report-not-ours', '2001:db8::2'], ['report-pbl', '192.0.2.10']]) {
    await setup.goto(`${stack.base}/check?ip=${encodeURIComponent(ip)}`);
    await setup.waitForURL(/\/r\//);
    reports[name] = setup.url();
  }
  await setup.close();
  for (const [name, url] of Object.entries(reports)) {
    const at = await firstScreen(url, name);
    assert.ok(at[390].verdict.top < 844, `${name}: the verdict starts at ${at[390].verdict.top}px`);
    assert.ok(at[390].action.bottom <= 844, `${name}: the first action ends at ${at[390].action.bottom}px`);
  }
});

test('"Show settings" keeps the reader\'s place and the provider is remembered in this browser', async () => {
  const page = await context.newPage();
  const errors = watch(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${stack.base}/check?ip=192.0.2.2&ticket=place-1`);
  await page.waitForURL(/\/r\//);
  const report = page.url();
  const select = page.getByLabel('Which provider gives you your internet connection or mailbox?');
  assert.equal(await select.inputValue(), '', 'nothing is preselected');
  await select.selectOption('kpn');
  await page.getByRole('button', { name: 'Show settings' }).click();
  await page.waitForURL(/isp=kpn#smtp$/);
  await page.locator('dl.smtp').waitFor();
  assert.match(await page.locator('dl.smtp').innerText(), /smtp\.kpnmail\.nl/);
  const top = await page.locator('#smtp').evaluate((el) => el.getBoundingClientRect().top);
  assert.ok(top >= -2 && top < 200, `the settings card is in view (top ${top}px), not the page top`);
  await page.screenshot({ path: join(SHOTS, 'report-settings-390.png') });
  // another report in the same browser starts at the remembered provider
  await page.goto(report.replace(/\?.*$/, ''));
  assert.equal(await select.inputValue(), 'kpn');
  assert.deepEqual(errors, []);
  await page.close();
});

test('fix first with the monitoring notice: still on the first screen at 390 px', async () => {
  const run = spawnSync(bin('tools/portalctl'), ['--conf', stack.confPath, 'monitor'], { encoding: 'utf8' });
  assert.ok(run.status !== null, run.stderr);
  const page = await context.newPage();
  await page.goto(`${stack.base}/check?ip=192.0.2.2&ticket=known-1`);
  await page.waitForURL(/\/r\//);
  const url = page.url();
  await page.close();
  const at = await firstScreen(url, 'report-ours-known');
  assert.ok(at[390].action.bottom <= 844, `the first action ends at ${at[390].action.bottom}px`);
  const check = await context.newPage();
  await check.goto(url);
  assert.match(await check.locator('#known').innerText(), /We know about this/);
  await check.close();
});
