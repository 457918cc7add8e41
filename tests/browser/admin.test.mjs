// An admin in a real browser (Debian's Chromium through playwright-core):
// logs in, opens the dashboard, sees the server-side SVG chart with its
// bars laid out (no JavaScript involved), follows a bar to the filtered
// submissions, and saves screenshots for people.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromiumProfile } from '../lib/chromium.mjs';
import { startStack, tempDir, sqlite, ROOT } from '../lib/stack.mjs';

const SHOTS = join(ROOT, 'tests/browser/screenshots');
let stack, context, profile;

// Three weeks of submissions, a few a day, in every series.
function seed() {
  const now = Math.floor(Date.now() / 1000);
  const verdicts = ['listed', 'blacklist', 'reputation', 'not_blacklist', 'clean', 'listed'];
  const providers = [['aol', 'RTR:BB'], ['comcast', 'BL000001'], ['microsoft', 'S3150'], ['yahoo', 'TSS04']];
  const rows = [], lists = [];
  let n = 0;
  for (let day = 0; day < 21; day++) {
    for (let k = 0; k < 1 + ((day * 7) % 5); k++) {
      const created = now - day * 86400 - k * 600;
      const [provider, code] = providers[(day + k) % providers.length];
      const token = `br${String(n).padStart(6, '0')}${'z'.repeat(24)}`;
      rows.push(`('${token}', ${created}, ${Math.floor(created / 86400)}, 'bounce', '203.0.113.${25 + (n % 3)}',
        'blacklist', '${verdicts[n % verdicts.length]}', '${provider}', '${code}', 'complaints', '{}')`);
      if (n % 2 === 0) lists.push(`('${token}', 'zen.spamhaus.org')`);
      n++;
    }
  }
  sqlite(stack.dbPath, `INSERT INTO reports (token, created, day, source, ip, category, verdict, provider,
      provider_code, cause, doc) VALUES ${rows.join(',')};
    INSERT INTO report_lists (report_id, zone, created, live)
      SELECT r.id, v.column2, r.created, 1 FROM (VALUES ${lists.join(',')}) v JOIN reports r ON r.token = v.column1;`);
  return n;
}

before(async () => {
  stack = await startStack({ workers: 2, conf: { 'site.outgoing_ips': '203.0.113.25, 203.0.113.26' } });
  profile = tempDir('blhd-chromium-');
  context = await launchChromiumProfile(profile, {
    viewport: { width: 1200, height: 900 },
    javaScriptEnabled: false,   // the dashboard needs none
  });
});

after(async () => {
  await context?.close();
  await stack?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('log in as admin, see the chart with its bars, follow a bar to its submissions', async () => {
  const total = seed();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  await page.goto(`${stack.base}/login`);
  await page.getByLabel('Login').fill('admin');
  await page.getByLabel('Password').fill('demo-admin-pw');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/admin$/);   // admins land on the dashboard
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  assert.equal(await page.locator('#total').innerText(), String(total));

  const chart = page.getByRole('group', { name: /Submissions per day, last 30 days/ });
  await chart.waitFor();
  const box = await chart.boundingBox();
  assert.ok(box.width > 600 && box.height > 150, `the chart is drawn (${box.width}x${box.height})`);

  const bars = page.locator('svg.chart a.bar');
  assert.equal(await bars.count(), 21, 'one bar per day with submissions');
  // every segment is rendered with a real size and the series colour from the stylesheet
  const segs = await page.locator('svg.chart rect.seg').evaluateAll((els) => els.map((e) => {
    const r = e.getBoundingClientRect();
    return { w: r.width, h: r.height, fill: getComputedStyle(e).fill, cls: e.getAttribute('class') };
  }));
  assert.ok(segs.length >= 21);
  for (const s of segs) {
    assert.ok(s.w > 5 && s.h > 0, JSON.stringify(s));
    assert.notEqual(s.fill, 'rgb(0, 0, 0)', `${s.cls} is coloured by portal.css`);
  }
  const fills = new Set(segs.map((s) => s.fill));
  assert.ok(fills.size >= 3, 'the series have their own colours');
  // taller bars for busier days: the bar heights follow the totals
  const heights = await bars.evaluateAll((els) => els.map((a) => ({
    total: Number(a.getAttribute('data-total')),
    h: [...a.querySelectorAll('rect')].reduce((n, r) => n + r.getBoundingClientRect().height, 0),
  })));
  const max = heights.reduce((m, b) => (b.total > m.total ? b : m));
  const min = heights.reduce((m, b) => (b.total < m.total ? b : m));
  assert.ok(max.h > min.h, 'a busier day is taller');
  assert.ok(Math.abs(max.h / min.h - max.total / min.total) < 0.2, 'heights are proportional');
  assert.equal(await page.locator('.legend-item').count(), 4);

  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, 'admin-dashboard.png'), fullPage: true });

  // a bar is a link to that day's submissions
  const first = bars.first();
  const date = await first.getAttribute('data-date');
  const dayTotal = Number(await first.getAttribute('data-total'));
  await first.click();
  await page.waitForURL(/\/admin\/submissions\?/);
  assert.equal(new URL(page.url()).searchParams.get('from'), date);
  assert.equal(await page.locator('#total').innerText(), String(dayTotal));
  assert.equal(await page.locator('table.submissions tbody tr').count(), dayTotal);
  await page.screenshot({ path: join(SHOTS, 'admin-submissions.png'), fullPage: true });

  // and a top-table row leads to its filter
  await page.goto(`${stack.base}/admin`);
  await page.locator('table[data-top="top-provider"] a.filter-link').first().click();
  await page.waitForURL(/provider=/);
  assert.ok(Number(await page.locator('#total').innerText()) > 0);
  assert.deepEqual(errors, []);
});
