// A customer in a real browser (Debian's Chromium through playwright-core):
// logs in as the demo customer, turns a risky forward off, and sees the
// badge and the audit line change. Saves a screenshot for people.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromiumProfile } from '../lib/chromium.mjs';
import { startStack, tempDir, ROOT } from '../lib/stack.mjs';

const SHOTS = join(ROOT, 'tests/browser/screenshots');
let stack, context, profile;

before(async () => {
  stack = await startStack({ workers: 2 });
  profile = tempDir('blhd-chromium-');
  context = await launchChromiumProfile(profile, {
    viewport: { width: 1200, height: 900 },
  });
});

after(async () => {
  await context?.close();
  await stack?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('log in, turn a risky forward off, see the badge and the audit line change', async () => {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // (the deliberate wrong password answers 422, which Chromium logs as a failed load)
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: .* 422/.test(m.text())) errors.push(m.text());
  });

  await page.goto(`${stack.base}/forwards`);
  assert.match(new URL(page.url()).pathname, /^\/login$/, 'sent to the login page');
  await page.getByLabel('Login').fill('demo');
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByText('The login or password is not right.').waitFor();
  await page.getByLabel('Password').fill('demo-customer-pw');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/forwards$/);
  await page.getByRole('heading', { name: 'Your mail forwards' }).waitFor();

  const row = page.locator('tr.forward', { hasText: 'owner.bakery@aol.com' });
  assert.equal(await row.locator('.badge').innerText(), 'Risky');
  assert.match(await row.innerText(), /AOL Mail/);
  const summary = await page.locator('#risky-summary').innerText();
  assert.match(summary, /3 forwards at risk/);
  const auditRows = page.locator('table.audit tbody tr');
  assert.equal(await auditRows.filter({ hasText: 'turned off' }).count(), 0);

  await row.getByRole('button', { name: 'Turn off' }).click();
  await page.waitForURL(/\/forwards\?changed=\d+#done$/);
  assert.match(await page.locator('#done').innerText(), /forward from info@demo-bakery\.example to owner\.bakery@aol\.com is now off/);
  const after = page.locator('tr.forward', { hasText: 'owner.bakery@aol.com' });
  assert.equal(await after.locator('.badge').innerText(), 'Off');
  assert.equal(await after.locator('.badge').getAttribute('class'), 'badge off');
  assert.equal(await after.getByRole('button', { name: 'Turn on' }).count(), 1);
  assert.match(await page.locator('#risky-summary').innerText(), /2 forwards at risk/);
  const line = auditRows.filter({ hasText: 'turned off' }).first();
  const text = await line.innerText();
  assert.match(text, /demo/);
  assert.match(text, /turned off: info@demo-bakery\.example -> owner\.bakery@aol\.com/);
  assert.match(text, /127\.0\.0\.1/);

  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, 'forwards-after-turning-off.png'), fullPage: true });

  // and back on; then log out
  await after.getByRole('button', { name: 'Turn on' }).click();
  await page.waitForURL(/\/forwards\?changed=\d+#done$/);
  assert.equal(await page.locator('tr.forward', { hasText: 'owner.bakery@aol.com' }).locator('.badge').innerText(), 'Risky');
  await page.getByRole('button', { name: /Log out/ }).click();
  await page.waitForURL(`${stack.base}/`);
  await page.goto(`${stack.base}/forwards`);
  assert.match(new URL(page.url()).pathname, /^\/login$/);
  assert.deepEqual(errors, [], 'no script or CSP errors');
});
