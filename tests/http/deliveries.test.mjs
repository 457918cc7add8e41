// GET /deliveries (issue 16) through real nginx + portal.fcgi, fed by
// tools/portalctl maillog: a customer sees only their own refused and
// deferred mail of the last 30 days, grouped by provider with the verdict;
// log text is escaped; the "full report" button is a real POST /check
// that runs a live check (rbldnsd on loopback) of our server; admins see
// everyone's, anonymous visitors are sent to the login page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startStack, Client, bin } from '../lib/stack.mjs';
import { startRbldnsd } from '../lib/rbldnsd.mjs';

let dns;
let stack;

const iso = (msAgo) => new Date(Date.now() - msAgo).toISOString();
const HOUR = 3600e3;

function line(at, qid, from, to, status, dsn, reply) {
  return `${at} mail3 postfix/qmgr[9]: ${qid}: from=<${from}>, size=1, nrcpt=1 (queue active)\n` +
    `${at} mail3 postfix/smtp[8]: ${qid}: to=<${to}>, relay=mx.provider.example[198.51.100.7]:25, delay=1, ` +
    `dsn=${dsn}, status=${status} (host mx.provider.example[198.51.100.7] said: ${reply} (in reply to MAIL FROM command))\n`;
}

before(async () => {
  dns = await startRbldnsd();
  stack = await startStack({ conf: { 'dns.servers': dns.server, 'site.outgoing_ips': '192.0.2.2',
    'site.outgoing_servers': 'mail3=192.0.2.2' } });
  const log = path.join(stack.dir, 'mail.log');
  writeFileSync(log,
    line(iso(HOUR), 'AAAA01', 'orders@demo-bakery.example', 'bob@aol.com', 'bounced', '5.7.1',
      '554 5.7.1 [RTR:BB] Connections will not be accepted from 192.0.2.2, because the ip is in Spamhaus list') +
    line(iso(2 * HOUR), 'AAAA02', 'shop@harbor-florist.example', 'dan@yahoo.com', 'deferred', '4.7.0',
      '421 4.7.0 [TSS04] Messages from 192.0.2.2 temporarily deferred due to user complaints') +
    line(iso(3 * HOUR), 'AAAA03', 'x@demo-bakery.example', '<script>alert(1)</script>@example.net', 'bounced', '5.1.1',
      '550 5.1.1 <b>no such user</b> & "quotes"') +
    line(iso(40 * 24 * HOUR), 'AAAA04', 'old@demo-bakery.example', 'old@aol.com', 'bounced', '5.7.1',
      '554 5.7.1 [RTR:BB] old refusal'));
  const out = execFileSync(bin('tools/portalctl'), ['--conf', stack.confPath, 'maillog', log], { encoding: 'utf8' });
  assert.match(out, /4 refused or deferred, 4 stored/);
});

after(async () => {
  await stack?.stop();
  await dns?.stop();
});

async function login(login, password) {
  const c = new Client(stack.base);
  const csrf = await c.csrfFrom('/login');
  const res = await c.post('/login', { login, password, csrf });
  assert.equal(res.status, 303);
  return c;
}

test('anonymous visitors are sent to log in', async () => {
  const res = await fetch(`${stack.base}/deliveries`, { redirect: 'manual' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/login?next=/deliveries');
});

test('a customer sees only their own refusals of the last 30 days, by provider, escaped', async () => {
  const c = await login('demo', 'demo-customer-pw');
  const res = await c.get('/deliveries');
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<h2 id="prov-0">AOL <span class="muted">\(1 message\)<\/span><\/h2>/);
  assert.match(html, /orders@demo-bakery\.example/);
  assert.match(html, /Your mail to AOL bounced because AOL does not trust mail from our server 192\.0\.2\.2/);
  assert.match(html, /\(code RTR:BB\)/);
  assert.doesNotMatch(html, /harbor-florist|dan@yahoo\.com|TSS04/, "another customer's mail never shows");
  assert.doesNotMatch(html, /old@aol\.com/, 'older than 30 days');
  assert.doesNotMatch(html, /<script>alert|<b>no such user/, 'log text is escaped');
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;@example\.net/);
  assert.match(html, /&lt;b&gt;no such user&lt;\/b&gt; &amp; &quot;quotes&quot;/);
  assert.match(html, /aria-current="page">Refused mail</);
});

test('the other customer sees theirs; an admin sees all, with the customer named', async () => {
  const f = await (await (await login('florist', 'demo-florist-pw')).get('/deliveries')).text();
  assert.match(f, /Yahoo/);
  assert.match(f, /dan@yahoo\.com/);
  // a deferral is said to be held back and retried, not to have bounced
  assert.match(f, /Your mail to Yahoo is being held back and retried because/);
  assert.doesNotMatch(f, /demo-bakery|bob@aol\.com/);
  const a = await (await (await login('admin', 'demo-admin-pw')).get('/deliveries')).text();
  for (const s of ['bob@aol.com', 'dan@yahoo.com', 'Demo Bakery Ltd', 'Harbor Florist']) assert.ok(a.includes(s), s);
});

test('"Full report and live check" posts the refusal to /check and reports our server live', async () => {
  const c = await login('demo', 'demo-customer-pw');
  const html = await (await c.get('/deliveries')).text();
  const card = html.slice(html.indexOf('data-verdict="reputation"'));
  const form = card.slice(card.indexOf('<form method="post" action="/check"'), card.indexOf('</form>'));
  const field = (name) => {
    const m = form.match(new RegExp(`name="${name}" value="([^"]*)"`));
    assert.ok(m, name);
    return m[1].replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  };
  assert.equal(field('ip'), '192.0.2.2');
  assert.match(field('bounce'), /Diagnostic-Code: smtp; 554 5\.7\.1 \[RTR:BB\]/);
  const res = await c.post('/check', { csrf: field('csrf'), bounce: field('bounce'), ip: field('ip') });
  assert.equal(res.status, 303);
  const report = await (await c.get(res.headers.get('location'))).text();
  assert.match(report, /192\.0\.2\.2/);
  assert.match(report, /AOL/);
  assert.match(report, /Spamhaus/, 'the live check found the fixture listing');
});

test('a sudden run of refusals is flagged on the dashboard and told on the home page', async () => {
  const log = path.join(stack.dir, 'burst.log');
  let text = '';
  for (let i = 0; i < 8; i++) {
    const from = i % 2 ? `s${i}@demo-bakery.example` : `s${i}@harbor-florist.example`;
    text += line(iso((10 + i) * 60e3), `BURST${i}`, from, `r${i}@aol.com`, 'bounced', '5.7.1',
      '554 5.7.1 [RTR:BB] Connections will not be accepted from 192.0.2.2');
  }
  writeFileSync(log, text);
  execFileSync(bin('tools/portalctl'), ['--conf', stack.confPath, 'maillog', log]);
  const admin = await (await (await login('admin', 'demo-admin-pw')).get('/admin')).text();
  assert.match(admin, /<h2 id="maillog-refusals">Refusals in our mail logs<\/h2>/);
  assert.match(admin, /<strong>AOL refuses mail3 since \d\d:\d\d UTC \(RTR:BB\), (8|9) messages from 2 customers<\/strong>/);
  assert.match(admin, /<tr data-pair="AOL\/mail3">/);
  assert.match(admin, /aria-label="Refusals per hour, last 24 hours: [0-9, ]+"/);
  const home = await (await fetch(`${stack.base}/`)).text();
  assert.match(home, /Known problem: AOL refuses mail3 since \d\d:\d\d UTC \(RTR:BB\)/);
  // a single refusal is no incident
  assert.doesNotMatch(home, /Known problem: Yahoo/);
});
