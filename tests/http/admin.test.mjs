// The admin dashboard and monitoring through real nginx + portal.fcgi:
// access control on every admin route, the dashboard's chart and tables,
// filter validation (422 naming the filter), filters and pages of the
// submissions list, CSV quoting and formula injection, "turned off after a
// report", and `portalctl monitor` recording a listing and then a
// delisting against rbldnsd on loopback (a zone directory of our own, so
// the listing can change between runs).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, Client, sqlite, bin, ROOT } from '../lib/stack.mjs';
import { startRbldnsd } from '../lib/rbldnsd.mjs';

const DEMO = { login: 'demo', password: 'demo-customer-pw' };
const ADMIN = { login: 'admin', password: 'demo-admin-pw' };
const OURS = ['203.0.113.25', '203.0.113.26'];
const HANG = { timeout: 60000 };

let stack;
let admin;
const now = Math.floor(Date.now() / 1000);
const today = Math.floor(now / 86400);
const dayText = (d) => new Date(d * 86400000).toISOString().slice(0, 10);
// The total the submissions page states for a query string.
async function count2(qs) {
  const html = await (await admin.get(`/admin/submissions?${qs}`)).text();
  const m = html.match(/of <strong id="total">(\d+)<\/strong>/);
  return m ? Number(m[1]) : 0;
}

before(async () => {
  stack = await startStack({ workers: 2, conf: { 'site.outgoing_ips': OURS.join(', ') } });
  admin = await login(ADMIN);
});
after(async () => { await stack?.stop(); });

async function login(who) {
  const c = new Client(stack.base);
  const csrf = await c.csrfFrom('/login');
  const res = await c.post('/login', { ...who, csrf });
  assert.equal(res.status, 303, `login as ${who.login}`);
  return c;
}

const q = (s) => (s === null || s === undefined ? 'NULL' : `'${String(s).replaceAll("'", "''")}'`);
let seq = 0;

// Inserts one report (and its lists) straight into the database.
function report({ ago = 0, ip = '203.0.113.25', verdict = 'listed', provider = null, code = null,
  cause = null, ticket = null, lists = [], userId = null, category = 'blacklist' } = {}) {
  const created = now - ago;
  const token = `adm${String(++seq).padStart(8, '0')}${'x'.repeat(21)}`;
  sqlite(stack.dbPath, `INSERT INTO reports (token, created, day, source, ticket, user_id, ip, category,
      verdict, provider, provider_code, cause, listed, doc)
    VALUES (${q(token)}, ${created}, ${Math.floor(created / 86400)}, 'bounce', ${q(ticket)}, ${userId ?? 'NULL'},
      ${q(ip)}, ${q(category)}, ${q(verdict)}, ${q(provider)}, ${q(code)}, ${q(cause)}, ${lists.length}, '{}');
    ${lists.map((z) => `INSERT INTO report_lists (report_id, zone, created, live)
      SELECT id, ${q(z)}, created, 1 FROM reports WHERE token = ${q(token)};`).join('\n')}`);
  return token;
}

// RFC 4180 parser for the tests (quoted fields, doubled quotes, CRLF rows).
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', i = 0, quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i++; continue; }
      cell += ch; i++; continue;
    }
    if (ch === '"' && cell === '') { quoted = true; i++; continue; }
    if (ch === ',') { row.push(cell); cell = ''; i++; continue; }
    if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 2; continue; }
    assert.notEqual(ch, '\n', 'a bare LF ends no row');
    cell += ch; i++;
  }
  assert.equal(cell, '', 'the last row ends with CRLF');
  return rows;
}

describe('access control', () => {
  const routes = ['/admin', '/admin?days=30', '/admin?days=7', '/admin/submissions',
    '/admin/submissions?ip=not-an-ip', '/admin/submissions?page=2&list=zen.spamhaus.org',
    '/admin/submissions.csv', '/admin/submissions.csv?from=2026-13-01'];

  test('anonymous visitors get the plain 404 on every admin route', async () => {
    for (const path of routes) {
      for (const method of ['GET', 'HEAD']) {
        const res = await fetch(stack.base + path, { method, redirect: 'manual' });
        assert.equal(res.status, 404, `${method} ${path}`);
        assert.match(res.headers.get('content-type'), /^text\/html/);
        const body = await res.text();
        if (method === 'GET') assert.match(body, /There is no page at this address/);
      }
    }
  });

  test('customers get the same 404, and no admin data', async () => {
    const c = await login(DEMO);
    for (const path of routes) {
      const res = await c.get(path);
      assert.equal(res.status, 404, path);
      const body = await res.text();
      assert.doesNotMatch(body, /<svg class="chart"|Submissions per day|created,token/, path);
    }
    const nav = await (await c.get('/forwards')).text();
    assert.doesNotMatch(nav, /href="\/admin"/, 'no dashboard link for customers');
  });

  test('an admin gets every route', async () => {
    assert.equal((await admin.get('/admin')).status, 200);
    assert.equal((await admin.get('/admin/submissions')).status, 200);
    const csv = await admin.get('/admin/submissions.csv');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    const nav = await (await admin.get('/')).text();
    assert.match(nav, /<a href="\/admin"/);
  });

  test('risky forwards that are on are listed with their customers', async () => {
    const html = await (await admin.get('/admin')).text();
    const list = html.slice(html.indexOf('id="risky-list"'), html.indexOf('</details>', html.indexOf('id="risky-list"')));
    assert.match(list, /<td>Demo Bakery Ltd<\/td><td>info@demo-bakery\.example<\/td><td>owner\.bakery@aol\.com/);
    assert.match(list, /Who has them on \(\d+\)/);
  });

  test('the link builder makes the prefilled check link support pastes to a customer', async () => {
    let html = await (await admin.get('/admin?ip=%20192.0.2.2%20&ticket=T-42')).text();
    const m = html.match(/id="lb-url" type="text" readonly value="([^"]+)"/);
    assert.ok(m, 'a link is shown');
    const link = m[1].replaceAll('&amp;', '&');
    assert.match(link, /\/check\?ip=192\.0\.2\.2&ticket=T-42$/);
    assert.ok(link.startsWith(stack.base), 'on this site');
    html = await (await admin.get('/admin?ip=%20Mail.Example.COM.%20&ticket=T-43')).text();
    const named = html.match(/id="lb-url" type="text" readonly value="([^"]+)"/);
    assert.ok(named, 'a server name makes a link too');
    assert.match(named[1].replaceAll('&amp;', '&'), /\/check\?ip=mail\.example\.com&ticket=T-43$/);
    html = await (await admin.get('/admin?ip=not%20an%20address')).text();
    assert.match(html, /Enter the IP address or server name to check\./);
  });
});

describe('dashboard', () => {
  let tokens;
  before(() => {
    tokens = {
      a: report({ ago: 60, ip: '203.0.113.25', verdict: 'listed', provider: 'aol', code: 'RTR:BB',
        cause: 'complaints', lists: ['zen.spamhaus.org', 'bl.spamcop.net'] }),
      b: report({ ago: 120, ip: '203.0.113.25', verdict: 'blacklist', provider: 'aol', code: 'RTR:BB',
        cause: 'complaints', lists: ['bl.spamcop.net'] }),
      c: report({ ago: 86400 * 2, ip: '198.51.100.4', verdict: 'reputation', provider: 'microsoft', code: 'S3150',
        cause: 'exploit' }),
      d: report({ ago: 86400 * 3, ip: '198.51.100.4', verdict: 'not_blacklist', provider: 'gmail' }),
      old: report({ ago: 86400 * 60, ip: '192.0.2.99', verdict: 'listed', cause: 'newsletter', lists: ['psbl.surriel.com'] }),
    };
  });

  test('the chart is inline SVG: one stacked bar per day with submissions', async () => {
    const res = await admin.get('/admin');
    const html = await res.text();
    assert.match(res.headers.get('content-security-policy'), /style-src 'self'/);
    const svg = html.match(/<svg class="chart"[\s\S]*?<\/svg>/)[0];
    assert.match(svg, /viewBox="0 0 720 220"/);
    assert.match(svg, /<title id="chart-title">Submissions per day, last 30 days<\/title>/);
    const bars = [...svg.matchAll(/<a href="([^"]+)" class="bar" data-date="([^"]+)" data-total="(\d+)">/g)];
    const byDate = Object.fromEntries(bars.map((m) => [m[2], { href: m[1], total: Number(m[3]) }]));
    assert.equal(bars.reduce((n, m) => n + Number(m[3]), 0), 4, 'four in the last 30 days');
    assert.ok(byDate[dayText(Math.floor((now - 60) / 86400))].total >= 1);
    assert.equal(Object.keys(byDate).includes(dayText(today - 60)), false, 'outside the 30 days');
    assert.equal(byDate[dayText(Math.floor((now - 86400 * 2) / 86400))].href,
      `/admin/submissions?from=${dayText(Math.floor((now - 86400 * 2) / 86400))}&amp;to=${dayText(Math.floor((now - 86400 * 2) / 86400))}`);
    // stacked segments: heights are positive, series classes known
    const rects = [...svg.matchAll(/<rect class="seg s-(\w+)" x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)">/g)];
    assert.ok(rects.length >= 3, 'a and b (same series) stack into one segment; c and d');
    for (const r of rects) {
      assert.ok(['blacklist', 'reputation', 'not_blacklist', 'other'].includes(r[1]));
      assert.ok(Number(r[5]) > 0 && Number(r[3]) >= 10 && Number(r[3]) + Number(r[5]) <= 196);
    }
    assert.doesNotMatch(svg, /style=/, 'no inline styles (CSP)');
    assert.match(html, /<strong id="total">4<\/strong> submissions/);
    // 90 days include the old one
    const html90 = await (await admin.get('/admin?days=90')).text();
    assert.match(html90, /<strong id="total">5<\/strong> submissions/);
    assert.match(html90, /aria-current="page">Last 90 days/);
  });

  test('top tables link to the filtered submissions and to the newest report', async () => {
    const html = await (await admin.get('/admin')).text();
    const from = dayText(today - 29), to = dayText(today);
    const table = (id) => html.match(new RegExp(`data-top="${id}">[\\s\\S]*?</table>`))[0];
    const ip = table('top-ip');
    assert.match(ip, new RegExp(`<a href="/admin/submissions\\?ip=203.0.113.25&amp;from=${from}&amp;to=${to}" class="filter-link">203.0.113.25</a>`));
    assert.match(ip, /our server/);
    assert.match(ip, new RegExp(`<a href="/r/${tokens.a}" class="report-link">`));
    const list = table('top-list');
    assert.match(list, /href="\/admin\/submissions\?list=bl.spamcop.net&amp;from=[^"]+" class="filter-link">bl.spamcop.net<\/a>[\s\S]*?<td class="num">2 /);
    const prov = table('top-provider');
    assert.match(prov, /href="\/admin\/submissions\?provider=aol&amp;code=RTR%3ABB&amp;from=/);
    assert.match(prov, /<code class="code">RTR:BB<\/code>/);
    const cause = table('top-cause');
    assert.match(cause, /href="\/admin\/submissions\?cause=complaints&amp;from=/);
  });

  test('list health and our servers are shown even before monitoring ran', async () => {
    const html = await (await admin.get('/admin')).text();
    assert.match(html, /<h2 id="list-health">List health<\/h2>/);
    assert.match(html, /data-zone="zen.spamhaus.org"/);
    for (const ip of OURS) assert.match(html, new RegExp(`data-server="${ip}"`));
    assert.match(html, /Monitoring has not run yet/);
  });
});

describe('submissions list', () => {
  test('filters: ip, list, provider + code, cause, dates; links to the reports', async () => {
    const base = report({ ago: 30, ip: '198.18.0.7', verdict: 'listed', provider: 'comcast', code: 'BL000001',
      cause: 'selfreport', lists: ['b.barracudacentral.org'] });
    report({ ago: 40, ip: '198.18.0.7', verdict: 'listed', provider: 'comcast', code: 'BL000010' });
    const count = async (qs) => {
      const res = await admin.get(`/admin/submissions?${qs}`);
      assert.equal(res.status, 200, qs);
      const html = await res.text();
      const m = html.match(/of <strong id="total">(\d+)<\/strong>/);
      return { n: m ? Number(m[1]) : 0, html };
    };
    assert.equal((await count('ip=198.18.0.7')).n, 2);
    const one = await count('ip=198.18.0.7&list=b.barracudacentral.org');
    assert.equal(one.n, 1);
    assert.match(one.html, new RegExp(`<a href="/r/${base}" class="report-link">Open</a>`));
    assert.equal((await count('list=B.BarracudaCentral.org.')).n, 1, 'zone names are canonicalised');
    assert.equal((await count('list=Barracuda%20Reputation%20Block%20List&ip=198.18.0.7')).n, 1, 'a list by its name');
    assert.equal((await count('list=%20barracuda%20reputation%20block%20list%20&ip=198.18.0.7')).n, 1, 'any case, spaces around');
    report({ ago: 50, ip: '198.18.0.8', lists: ['Cloudmark CSI'] });
    assert.equal((await count('list=cloudmark%20csi')).n, 1, 'a name a bounce gave, any case');
    assert.equal((await count('list=Cloudmark+CSI')).n, 1);
    assert.equal((await count('list=barracuda&ip=198.18.0.7')).n, 1, 'part of one list\'s name');
    const several = await admin.get('/admin/submissions?list=spamhaus');
    assert.equal(several.status, 422, 'several lists hold it');
    assert.match(await several.text(), /Several lists match this/);
    const none = await admin.get('/admin/submissions?list=No%20Such%20List');
    assert.equal(none.status, 200, 'a name nothing named: no rows, not an error');
    assert.match(await none.text(), /No submissions match/);
    assert.equal((await count('provider=comcast')).n, 2);
    assert.equal((await count('provider=Comcast')).n, 2, 'filters ignore case');
    assert.equal((await count('cause=SelfReport&ip=198.18.0.7')).n, 1, 'filters ignore case');
    assert.equal((await count('provider=comcast&code=BL000001')).n, 1);
    const self = await count('cause=selfreport&ip=198.18.0.7');
    assert.equal(self.n, 1);
    // labels, not raw ids, in the table
    assert.match(self.html, /<td>Self-reporting through a forward<\/td>/);
    assert.doesNotMatch(self.html, /<td>selfreport<\/td>/);
    assert.equal((await count(`ip=198.18.0.7&from=${dayText(today + 1)}`)).n, 0);
    assert.equal((await count(`ip=198.18.0.7&from=${dayText(today - 1)}&to=${dayText(today)}`)).n, 2);
  });

  test('support finds a ticket, any case, over all time; its link is in the row and on the dashboard', async () => {
    const old = report({ ago: 200 * 86400, ip: '198.18.0.9', ticket: 'HD-70001' });
    const recent = report({ ago: 60, ip: '198.18.0.9', ticket: 'HD-70001' });
    report({ ago: 60, ip: '198.18.0.9', ticket: 'HD-70002' });
    const res = await admin.get('/admin/submissions?ticket=hd-70001');
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /of <strong id="total">2<\/strong>/, 'both, the one from 200 days ago too');
    assert.ok(html.indexOf(recent) >= 0 && html.indexOf(old) > html.indexOf(recent), 'newest first');
    assert.match(html, /ticket <a href="\/admin\/submissions\?ticket=HD-70001">HD-70001<\/a>/);
    assert.match(html, /name="ticket" type="text" autocomplete="off" placeholder="[^"]*" value="hd-70001"/);
    assert.equal((await count2('ticket=HD-70001&ip=198.18.0.9')), 2);
    assert.equal((await count2('ticket=HD-70001&from=' + dayText(today - 1))), 1, 'dates still narrow it');
    const csv = await (await admin.get('/admin/submissions.csv?ticket=HD-70002')).text();
    assert.equal(csv.trim().split('\n').length, 2, 'header and one row');
    assert.equal((await admin.get('/admin/submissions?ticket=a%20b')).status, 422);
    const dash = await (await admin.get('/admin')).text();
    assert.match(dash, /<form method="get" action="\/admin\/submissions" class="inline">\s*<label for="ts-ticket">Ticket<\/label>/);
  });

  test('pages of 50, newest first', async () => {
    const values = [];
    for (let i = 0; i < 120; i++) {
      values.push(`('pg${String(i).padStart(8, '0')}${'y'.repeat(22)}', ${now - 1000 - i}, ${Math.floor((now - 1000 - i) / 86400)},
        'ip', '198.18.1.1', 'ip', 'clean', '{}')`);
    }
    sqlite(stack.dbPath, `INSERT INTO reports (token, created, day, source, ip, category, verdict, doc) VALUES ${values.join(',')}`);
    let html = await (await admin.get('/admin/submissions?ip=198.18.1.1')).text();
    assert.match(html, /Submissions 1–50 of <strong id="total">120<\/strong>/);
    assert.match(html, /Page 1 of 3/);
    assert.match(html, new RegExp(`<a href="/admin/submissions\\?ip=198.18.1.1&amp;from=${dayText(today - 89)}&amp;to=${dayText(today)}&amp;page=2" rel="next">`),
      'the last 90 days by default, kept in the pager');
    assert.match(html, new RegExp(`name="from" type="text" autocomplete="off" placeholder="[^"]*" value="${dayText(today - 89)}"`));
    assert.ok(html.indexOf('pg00000000') < html.indexOf('pg00000001'));
    html = await (await admin.get('/admin/submissions?ip=198.18.1.1&page=3')).text();
    assert.match(html, /Submissions 101–120 of/);
    assert.match(html, /pg00000119/);
    assert.doesNotMatch(html, /rel="next"/);
    html = await (await admin.get('/admin/submissions?ip=198.18.1.1&page=9')).text();
    assert.doesNotMatch(html, /data-token=/);
  });

  test('every invalid filter answers 422 naming it, and never echoes it into the CSV', async () => {
    const cases = [
      ['ip=999.1.1.1', 'ip'], ['ip=198.018.0.7', 'ip'], ['ip=%3Cscript%3E', 'ip'],
      ['list=not_a_zone', 'list'], ['list=%3Cb%3E', 'list'], ['list=nodot', 'list'],
      ['provider=a%20b', 'provider'], ['provider=' + 'p'.repeat(40), 'provider'],
      ['code=RTR:BB', 'code'], ['provider=aol&code=a%22b', 'code'],
      ['cause=%3Cx%3E', 'cause'], ['from=2026-02-30', 'from'], ['from=2026-1-1', 'from'],
      ['to=tomorrow', 'to'], ['from=2026-03-02&to=2026-03-01', 'to'], ['page=0', 'page'],
      ['page=-1', 'page'], ['page=1e3', 'page'], ['ip=%FF%FE', 'ip'],
    ];
    for (const [qs, field] of cases) {
      const res = await admin.get(`/admin/submissions?${qs}`);
      assert.equal(res.status, 422, qs);
      const html = await res.text();
      assert.match(html, new RegExp(`Invalid filter “${field}”`), qs);
      assert.doesNotMatch(html, /<script>|<b>|<x>/, `${qs}: escaped`);
      assert.doesNotMatch(html, /data-token=/, `${qs}: no rows`);
      const csv = await admin.get(`/admin/submissions.csv?${qs}`);
      assert.equal(csv.status, 422, `csv ${qs}`);
      assert.match(csv.headers.get('content-type'), /^text\/plain/);
      const text = await csv.text();
      assert.match(text, new RegExp(`^invalid filter "${field}": `), qs);
      assert.doesNotMatch(text, /script|999\.1|not_a_zone|tomorrow|2026-02-30/, `csv ${qs}: no echo`);
    }
    const res = await admin.get('/admin?days=7');
    assert.equal(res.status, 422);
    assert.match(await res.text(), /Invalid filter “days”/);
  });

  test('the form shows a wrong value again, escaped, next to its message', async () => {
    const html = await (await admin.get('/admin/submissions?ip=%22%3E%3Cimg%20src%3Dx%3E')).text();
    assert.match(html, /value="&quot;&gt;&lt;img src=x&gt;" aria-invalid="true"/);
    assert.match(html, /<p class="field-error" role="alert">Enter an IPv4 address/);
  });
});

describe('CSV export', () => {
  test('RFC 4180 quoting and formula-injection prefixes, same filters as the list', async () => {
    const hostile = {
      ip: '198.18.9.9', ticket: '-2+3', provider: '=HYPERLINK("http://x.example/","x")', code: '@SUM(A1)',
      cause: 'a,"b"\r\nc', verdict: 'listed', category: '+cmd', lists: ['zen.spamhaus.org'],
    };
    const token = report(hostile);
    report({ ip: '198.18.9.9', provider: 'aol', ticket: '\tT1', verdict: 'clean', ago: 5 });
    const res = await admin.get('/admin/submissions.csv?ip=198.18.9.9');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8; header=present');
    assert.match(res.headers.get('content-disposition'), /^attachment; filename="submissions-\d{4}-\d\d-\d\d\.csv"$/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const text = await res.text();
    const rows = parseCsv(text);
    assert.deepEqual(rows[0], ['created', 'token', 'report', 'source', 'ticket', 'ip', 'ip_is_ours', 'verdict',
      'category', 'provider', 'provider_code', 'cause', 'lists_listed', 'lists']);
    assert.equal(rows.length, 3);
    const row = rows.find((r) => r[1] === token);
    assert.equal(row[2], `/r/${token}`);
    assert.equal(row[4], "'-2+3");
    assert.equal(row[8], "'+cmd");
    assert.equal(row[9], `'=HYPERLINK("http://x.example/","x")`);
    assert.equal(row[10], "'@SUM(A1)");
    assert.equal(row[11], 'a,"b"\r\nc');
    assert.equal(row[13], 'zen.spamhaus.org');
    assert.match(row[0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const other = rows.find((r) => r[1] !== token && r[1] !== 'token');
    assert.equal(other[4], "'\tT1");
    // the raw bytes: quotes doubled, the injected cell quoted with its prefix inside
    assert.ok(text.includes(`"'=HYPERLINK(""http://x.example/"",""x"")"`));
    assert.ok(text.includes('"a,""b""\r\nc"'));
    // no cell starts with a formula character
    for (const r of rows) for (const cell of r) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, JSON.stringify(cell));
  });

  test('a big export streams every row', async () => {
    const res = await admin.get('/admin/submissions.csv?ip=198.18.1.1');
    const rows = parseCsv(await res.text());
    assert.equal(rows.length, 121);
  });
});

describe('forwards turned off after a report', () => {
  test('a customer report, then the switch-off, counts on the dashboard', async () => {
    const demoId = Number(sqlite(stack.dbPath, "SELECT id FROM users WHERE login = 'demo'"));
    report({ ip: '203.0.113.25', verdict: 'blacklist', provider: 'aol', cause: 'selfreport', userId: demoId, ago: 300 });
    const before = await (await admin.get('/admin')).text();
    const risky = Number(before.match(/<strong id="risky-active">(\d+)<\/strong>/)[1]);
    assert.ok(risky >= 3, 'the demo data has forwards to AOL, Comcast, Gmail, Yahoo, Verizon');
    assert.match(before, /AOL/);
    const c = await login(DEMO);
    const page = await (await c.get('/forwards')).text();
    const csrf = page.match(/name="csrf" value="([^"]+)"/)[1];
    const id = Number(sqlite(stack.dbPath, `SELECT f.id FROM forwards f JOIN mailboxes m ON m.id = f.mailbox_id
      WHERE f.destination = 'owner.bakery@aol.com'`));
    assert.equal((await c.post(`/forwards/${id}/toggle`, { state: 'off', csrf })).status, 303);
    const html = await (await admin.get('/admin')).text();
    assert.equal(Number(html.match(/<strong id="risky-active">(\d+)<\/strong>/)[1]), risky - 1);
    assert.match(html, /In this period <strong>1<\/strong> risky forward was turned off; <strong>1<\/strong> of them within 7 days after the same customer made a report \(1 where/);
  });
});

describe('portalctl monitor', () => {
  let zones, dns;
  const SPAMCOP_HEAD = '$SOA 300 ns.test.invalid. hostmaster.test.invalid. 1 600 300 86400 300\n$TTL 60\n' +
    ':127.0.0.2:Blocked - see https://www.spamcop.net/bl.shtml?$\n127.0.0.2\n';
  const ZEN = '$SOA 300 ns.test.invalid. hostmaster.test.invalid. 1 600 300 86400 300\n$TTL 60\n' +
    ':127.0.0.2:https://check.spamhaus.org/sbl/query/SBL0001 $\n127.0.0.2\n127.0.0.2 :127.0.0.4:test\n';

  async function serve(spamcopExtra) {
    if (dns) await dns.stop();
    writeFileSync(join(zones, 'bl.spamcop.net'), SPAMCOP_HEAD + spamcopExtra);
    dns = await startRbldnsd({ dir: zones });
    return dns;
  }

  function monitor(args = []) {
    const conf = join(zones, 'monitor.hdf');
    writeFileSync(conf, [
      `db.path = ${stack.dbPath}`, `paths.data = ${ROOT}`, `dns.servers = ${dns.server}`,
      'dns.timeout_ms = 1500', 'dns.allow_reserved = 1', 'dns.lists = zen.spamhaus.org, bl.spamcop.net',
      `site.outgoing_ips = ${OURS.join(', ')}`, '',
    ].join('\n'));
    return spawnSync(bin('tools/portalctl'), ['--conf', conf, 'monitor', ...args], { encoding: 'utf8' });
  }

  before(() => {
    zones = mkdtempSync(join(tmpdir(), 'admin-zones-'));
    chmodSync(zones, 0o755);   // rbldnsd drops to its own user when started as root
    writeFileSync(join(zones, 'zones.conf'), 'zen.spamhaus.org ip4set zen.spamhaus.org\nbl.spamcop.net ip4set bl.spamcop.net\n');
    writeFileSync(join(zones, 'zen.spamhaus.org'), ZEN);
  });
  after(async () => {
    if (dns) await dns.stop();
    rmSync(zones, { recursive: true, force: true });
  });

  test('a listing is recorded, shown, kept, then cleared when the list drops it', HANG, async () => {
    await serve(`${OURS[0]}\n`);
    let r = monitor();
    assert.equal(r.status, 3, `listed: exit 3\n${r.stdout}${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^LISTED +${OURS[0].replaceAll('.', '\\.')} on bl\\.spamcop\\.net \\(new\\) 127\\.0\\.0\\.2 Blocked`, 'm'));
    assert.match(r.stdout, /usually: /);
    let rows = sqlite(stack.dbPath, "SELECT ip, zone, cleared IS NULL, codes FROM monitor_listings").split('\n');
    assert.deepEqual(rows, [`${OURS[0]}|bl.spamcop.net|1|127.0.0.2`]);
    assert.equal(sqlite(stack.dbPath, "SELECT status FROM monitor_runs ORDER BY id DESC LIMIT 1"), 'listed');

    let html = await (await admin.get('/admin')).text();
    assert.match(html, /1 of our outgoing servers listed right now/);
    const row = html.match(new RegExp(`<tr data-server="${OURS[0]}">[\\s\\S]*?</tr>`))[0];
    assert.match(row, /badge listed">Listed/);
    assert.match(row, /<strong>bl.spamcop.net<\/strong> since \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    assert.match(row, /Usually: /);
    assert.match(html, new RegExp(`<tr data-server="${OURS[1]}">[\\s\\S]*?badge clean">Not listed`));
    assert.match(html, /Last monitoring run: .* \(listed\)/);
    assert.match(html, /<tr data-zone="bl.spamcop.net">[\s\S]*?badge ok">Trusted/, 'health recorded by the run');
    assert.match(html, /<table class="history">[\s\S]*?still listed/);

    // a second run keeps the same listing open (one row, last_seen moves)
    r = monitor(['--json']);
    assert.equal(r.status, 3);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.status, 'listed');
    assert.equal(doc.listed, 1);
    assert.equal(doc.opened, 0);
    assert.equal(doc.changes.find((c) => c.zone === 'bl.spamcop.net').event, 'still_listed');
    assert.equal(sqlite(stack.dbPath, 'SELECT count(*) FROM monitor_listings'), '1');

    // the list drops the address: the listing clears
    await serve('');
    r = monitor();
    assert.equal(r.status, 0, `clean: exit 0\n${r.stdout}${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^CLEARED +${OURS[0].replaceAll('.', '\\.')} on bl\\.spamcop\\.net \\(listed since `, 'm'));
    rows = sqlite(stack.dbPath, 'SELECT cleared IS NOT NULL, cleared >= since FROM monitor_listings').split('\n');
    assert.deepEqual(rows, ['1|1']);
    html = await (await admin.get('/admin')).text();
    assert.doesNotMatch(html, /listed right now/);
    assert.match(html, new RegExp(`<tr data-server="${OURS[0]}">[\\s\\S]*?badge clean">Not listed`));
    const hist = html.match(/<table class="history">[\s\S]*?<\/table>/)[0];
    assert.match(hist, new RegExp(`<td class="mono">${OURS[0]}</td><td>bl.spamcop.net</td><td>[^<]+UTC</td><td>[^<]+UTC</td>`));

    // quiet and clean: nothing to say (cron mails only when something is up)
    r = monitor();
    assert.equal(r.status, 0);
    assert.equal(r.stdout, '');
  });

  test('lists that do not answer make the run incomplete, never "delisted"', HANG, async () => {
    const dead = { server: '127.0.0.1:9', stop: async () => {} };   // nothing listens: no answers
    await dns.stop();
    dns = dead;
    let r = monitor();
    assert.equal(r.status, 4, `nothing listed, nothing known: exit 4\n${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^UNKNOWN /m);
    assert.equal(sqlite(stack.dbPath, "SELECT status FROM monitor_runs ORDER BY id DESC LIMIT 1"), 'incomplete');
    await serve(`${OURS[1]}\n`);
    r = monitor();
    assert.equal(r.status, 3);
    await dns.stop();
    dns = dead;
    r = monitor();
    assert.equal(r.status, 3, 'the open listing stays open while the lists are silent');
    assert.match(r.stdout, /^UNKNOWN /m);
    assert.equal(sqlite(stack.dbPath, `SELECT count(*) FROM monitor_listings WHERE ip = '${OURS[1]}' AND cleared IS NULL`), '1');
    dns = null;
  });

  test('configuration errors fail with exit 1 and say why', () => {
    const conf = join(zones, 'bad.hdf');
    writeFileSync(conf, `db.path = ${stack.dbPath}\npaths.data = ${ROOT}\nsite.outgoing_ips = 203.0.113.25, mail.example\n`);
    const r = spawnSync(bin('tools/portalctl'), ['--conf', conf, 'monitor'], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /site.outgoing_ips: not an IP address: mail.example/);
  });
});
