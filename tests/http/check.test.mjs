// Check, explain, share: POST /check, the ticket link, reports, re-checks
// and the JSON API, through nginx + portal.fcgi with rbldnsd serving the
// test zones (tests/fixtures/zones: 192.0.2.2 is listed everywhere,
// 192.0.2.10 only on the PBL, 192.0.2.1 nowhere).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startStack, Client, sqlite, rawRequest, ROOT, csrfTokenFits } from '../lib/stack.mjs';
import { startRbldnsd } from '../lib/rbldnsd.mjs';

const fixture = (name) => readFileSync(`${ROOT}/tests/fixtures/http/${name}`, 'utf8');
let dns, stack;

before(async () => {
  dns = await startRbldnsd();
  stack = await startStack({ conf: { 'dns.servers': dns.server, 'site.outgoing_ips': '192.0.2.2, 192.0.2.3' } });
});
after(async () => { await stack?.stop(); await dns?.stop(); });

async function check(client, form) {
  const csrf = await client.csrfFrom('/');
  const res = await client.post('/check', { csrf, ...form });
  return res;
}

async function reportOf(client, res) {
  assert.equal(res.status, 303, `expected a redirect, got ${res.status}: ${await res.text()}`);
  const loc = res.headers.get('location');
  assert.match(loc, /^\/r\/[A-Za-z0-9_-]{32}$/);
  const page = await client.get(loc);
  assert.equal(page.status, 200);
  return { loc, token: loc.slice(3), html: await page.text() };
}

test('a raw AOL bounce: verdict, listed rows, causes, remedies', async () => {
  const c = new Client(stack.base);
  const { html, token } = await reportOf(c, await check(c, { bounce: fixture('aol-rtr-bb.eml') }));
  assert.match(html, /Your mail to AOL bounced because AOL does not trust mail from our server 192\.0\.2\.2/);
  assert.match(html, /RTR:BB/);
  assert.match(html, /one of our outgoing mail servers/);
  assert.match(html, /<span class="badge listed">listed<\/span>/);
  assert.match(html, /Spamhaus ZEN/);
  // AOL's own lists come first in the table
  assert.ok(html.indexOf('data-zone="zen.spamhaus.org"') < html.indexOf('data-zone="bl.mailspike.net"'));
  assert.match(html, /<h1 id="verdict">Blocked by the receiving provider&#39;s own filter<\/h1>/);
  assert.match(html, /Self-reporting through a forward/);
  assert.match(html, /72 hours/);
  assert.equal(html.match(/72 hours/g).length, 1, 'the duration is said once');
  assert.match(html, /Send through your own provider's mail server/);
  // the provider's own advice is shown on a block verdict too
  assert.match(html, /AOL advises:<\/strong> [^<]*postmaster\.aol\.com/);
  // the provider is asked, never guessed from the recipient (bob@aol.com)
  assert.doesNotMatch(html, /<option value="[a-z]+" selected>/);
  assert.match(html, /action="\/r\/[A-Za-z0-9_-]{32}#smtp"/);
  assert.match(html, /<option value="other">My provider isn't listed<\/option>/);
  // our own server: our team asks for removal, no delisting link for the customer
  assert.match(html, /<span class="muted">our team handles this<\/span>/);
  assert.doesNotMatch(html, />delisting page</);
  assert.match(html, new RegExp(`value="http://127\\.0\\.0\\.1:${stack.port}/r/${token}"`), 'absolute copy link');
  assert.match(html, /data-copy-target="report-link"/);
  // the holder sees the recipient
  assert.match(html, /bob@aol\.com/);
});

test('the report stores the analysis and the diagnostic, not the message', async () => {
  const c = new Client(stack.base);
  const { token } = await reportOf(c, await check(c, { bounce: fixture('aol-rtr-bb.eml') }));
  // the stored document is what the API serves (it is kept deflated)
  const stored = JSON.stringify(await (await c.get(`/api/v1/reports/${token}`)).json()) +
    sqlite(stack.dbPath, `SELECT coalesce(recipient,'') || ticket FROM reports WHERE token = '${token}'`);
  assert.match(stored, /RTR:BB/);
  assert.doesNotMatch(stored, /PRIVATE-MARKER-7731/);
  assert.doesNotMatch(stored, /Christmas opening hours/);
  const size = Number(sqlite(stack.dbPath, `SELECT length(doc) FROM reports WHERE token = '${token}'`));
  assert.ok(size < 4096, `stored document is ${size} bytes`);
  const lists = sqlite(stack.dbPath, `SELECT count(*) FROM report_lists l JOIN reports r ON r.id = l.report_id WHERE r.token = '${token}'`);
  assert.ok(Number(lists) > 0);
});

test('recipient is shown only to the report holder', async () => {
  const holder = new Client(stack.base);
  const { loc, token } = await reportOf(holder, await check(holder, { bounce: fixture('aol-rtr-bb.eml') }));
  const stranger = new Client(stack.base);
  const html = await (await stranger.get(loc)).text();
  assert.doesNotMatch(html, /bob@aol\.com/);
  assert.match(html, /shown only to the person who made this report/);
  const api = await (await stranger.get(`/api/v1/reports/${token}`)).json();
  assert.equal(api.recipient, null);
  const mine = await (await holder.get(`/api/v1/reports/${token}`)).json();
  assert.equal(mine.recipient, 'bob@aol.com');
});

test('text pasted from a mail client, naming Spamhaus', async () => {
  const c = new Client(stack.base);
  const { html } = await reportOf(c, await check(c, { bounce: fixture('spamhaus-xbl-pasted.txt') }));
  assert.match(html, /Your mail bounced because our server 192\.0\.2\.2 is on Spamhaus ZEN/);
  assert.match(html, /An exploited script sending spam/);
});

test('not a blacklist problem: unknown user', async () => {
  const c = new Client(stack.base);
  const { html } = await reportOf(c, await check(c, { bounce: fixture('unknown-user.txt') }));
  assert.match(html, /This bounce is not a blacklist problem: the address nobody@example\.org does not exist/);
  assert.doesNotMatch(html, /Why it happened/);
});

test('an IP only: listed, clean, policy (PBL), IPv6, not ours', async () => {
  const c = new Client(stack.base);
  let r = await reportOf(c, await check(c, { ip: '192.0.2.1' }));
  assert.match(r.html, /192\.0\.2\.1 is not listed on any of the \d+ block lists we checked/);
  assert.match(r.html, /not one of our outgoing mail servers/);
  r = await reportOf(c, await check(c, { ip: '192.0.2.10' }));
  assert.match(r.html, /192\.0\.2\.10 is listed on 1 of the/);
  assert.match(r.html, /Mail sent directly from a home or office connection/);
  assert.match(r.html, /policy list/);
  r = await reportOf(c, await check(c, { ip: '2001:db8::2' }));
  assert.match(r.html, /2001:db8::2 is listed on/);
});

test('invalid input re-renders the form with the problem next to the field (422)', async () => {
  const c = new Client(stack.base);
  let res = await check(c, { ip: '300.1.2.3' });
  assert.equal(res.status, 422);
  let html = await res.text();
  assert.match(html, /value="300\.1\.2\.3"/, 'keeps what was typed');
  assert.match(html, /<p class="field-error" role="alert">Enter an IPv4 address/);
  // on a phone the problem is on the first screen, the title says it, the field has focus
  assert.match(html, /<title>Error: check a bounce/);
  assert.ok(html.indexOf('id="form-errors"') < html.indexOf('<h1'), 'the summary comes before the heading');
  assert.match(html, /<a href="#ip">Enter an IPv4 address/);
  assert.match(html, /id="ip"[^>]*aria-invalid="true" autofocus/);
  res = await check(c, { ip: '', bounce: '' });
  assert.equal(res.status, 422);
  assert.match(await res.text(), /Paste the bounce message or enter an IP address/);
  res = await check(c, { ip: '010.1.2.3' });
  assert.equal(res.status, 422, 'leading zeros');
  res = await check(c, { bounce: 'x'.repeat(210 * 1024) });
  assert.equal(res.status, 422);
  assert.match(await res.text(), /longer than we accept/);
});

test('POST /check without or with a wrong csrf token: 403', async () => {
  const c = new Client(stack.base);
  await c.get('/');
  assert.equal((await c.post('/check', { ip: '192.0.2.1' })).status, 403);
  assert.equal((await c.post('/check', { ip: '192.0.2.1', csrf: 'A'.repeat(43) })).status, 403);
});

test('ticket link: GET /check?ip=&ticket= stores the ticket and shows it', async () => {
  const c = new Client(stack.base);
  const res = await c.get('/check?ip=192.0.2.2&ticket=48121');
  const { html, token } = await reportOf(c, res);
  assert.match(html, /ticket <strong>48121<\/strong>/);
  assert.equal(sqlite(stack.dbPath, `SELECT ticket || '|' || source FROM reports WHERE token='${token}'`), '48121|link');
  assert.equal((await c.get('/check?ip=192.0.2.2&ticket=' + 'a'.repeat(33))).status, 422);
  assert.equal((await c.get('/check?ip=192.0.2.2&ticket=a%3Cb')).status, 422);
  assert.equal((await c.get('/check?ticket=1')).status, 422);
});

test('re-check makes a new snapshot linked from the old one', async () => {
  const c = new Client(stack.base);
  const first = await reportOf(c, await check(c, { ip: '192.0.2.2' }));
  const csrf = first.html.match(/name="csrf" value="([^"]+)"/)[1];
  const res = await c.post(`/r/${first.token}/recheck`, { csrf });
  const second = await reportOf(c, res);
  assert.notEqual(second.token, first.token);
  assert.match(second.html, new RegExp(`href="/r/${first.token}">earlier check`));
  const old = await (await c.get(first.loc)).text();
  assert.match(old, new RegExp(`href="/r/${second.token}">a newer check exists`));
  assert.equal((await c.post(`/r/${first.token}/recheck`, {})).status, 403);
});

test('unknown or malformed tokens: 404', async () => {
  const c = new Client(stack.base);
  assert.equal((await c.get('/r/' + 'A'.repeat(32))).status, 404);
  assert.equal((await c.get('/r/short')).status, 404);
  const api = await c.get('/api/v1/reports/' + 'B'.repeat(32));
  assert.equal(api.status, 404);
  assert.deepEqual(await api.json(), { error: 'no such report' });
});

test('JSON API: check and report return the same facts', async () => {
  const c = new Client(stack.base);
  const res = await c.get('/api/v1/check?ip=192.0.2.2&ticket=T-1');
  assert.equal(res.status, 200);
  const doc = await res.json();
  for (const k of ['blacklist', 'category', 'sending_ip', 'provider', 'provider_code', 'lists', 'smtp_code',
    'status', 'recipient', 'diagnostic', 'evidence', 'token', 'created', 'ticket', 'checks']) {
    assert.ok(k in doc, `missing ${k}`);
  }
  assert.equal(doc.ticket, 'T-1');
  assert.equal(doc.ip, '192.0.2.2');
  assert.equal(doc.verdict, 'listed');
  const zen = doc.checks.find((x) => x.zone === 'zen.spamhaus.org');
  for (const k of ['zone', 'status', 'codes', 'meaning', 'txt', 'ttl', 'ms', 'delist_url']) assert.ok(k in zen, k);
  assert.equal(zen.status, 'listed');
  const again = await (await c.get(`/api/v1/reports/${doc.token}`)).json();
  assert.deepEqual(again.checks, doc.checks);
  assert.equal(again.verdict, doc.verdict);
  let bad = await c.get('/api/v1/check?ip=not-an-ip');
  assert.equal(bad.status, 422);
  assert.ok((await bad.json()).error);
  bad = await c.get('/api/v1/check');
  assert.equal(bad.status, 400);
});

test('hostile input is escaped everywhere', async () => {
  const c = new Client(stack.base);
  const xss = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'';
  const bounce = `550 5.7.1 ${xss} Client host [192.0.2.2] blocked using bl.spamcop.net ${xss}`;
  const { html } = await reportOf(c, await check(c, { bounce }));
  assert.doesNotMatch(html, /<script>alert/);
  assert.doesNotMatch(html, /<img src=x/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  const res = await check(c, { ip: xss });
  assert.equal(res.status, 422);
  const form = await res.text();
  assert.doesNotMatch(form, /<script>alert/);
});

test('a documentation address with reserved lookups off is not sent', async () => {
  const s2 = await startStack({ conf: { 'dns.servers': dns.server, 'dns.allow_reserved': 0 } });
  try {
    const c = new Client(s2.base);
    const csrf = await c.csrfFrom('/');
    const { html } = await reportOf(c, await c.post('/check', { csrf, ip: '192.0.2.2' }));
    assert.match(html, /We did not check 192\.0\.2\.2/);
    assert.match(html, /documentation/i);
    // a name with only a private address: "no address", the address never shown
    const res = await c.post('/check', { csrf: await c.csrfFrom('/'), ip: 'internal.servers.example' });
    assert.equal(res.status, 422);
    const page = await res.text();
    assert.match(page, /This server name has no address in DNS/);
    assert.doesNotMatch(page, /10\.1\.2\.3/);
  } finally { await s2.stop(); }
});

test('rate limit: checks.per_minute per client address answers 429 with Retry-After', async () => {
  const s2 = await startStack({ conf: { 'dns.servers': dns.server, 'checks.per_minute': 2 } });
  try {
    const c = new Client(s2.base);
    // different tickets: each link is a new check (the same link is reused)
    assert.equal((await c.get('/check?ip=192.0.2.1&ticket=1')).status, 303);
    assert.equal((await c.get('/check?ip=192.0.2.1&ticket=2')).status, 303);
    const third = await c.get('/check?ip=192.0.2.1&ticket=3');
    assert.equal(third.status, 429);
    assert.ok(Number(third.headers.get('retry-after')) > 0);
    const api = await c.get('/api/v1/check?ip=192.0.2.1');
    assert.equal(api.status, 429);
    assert.ok(api.headers.get('retry-after'));
  } finally { await s2.stop(); }
});

test('rate limit: checks.global_per_minute stops everyone together, whatever their address', async () => {
  const s2 = await startStack({ conf: { 'dns.servers': dns.server, 'checks.per_minute': 10, 'checks.global_per_minute': 2 } });
  try {
    const from = (addr) => new Client(s2.base, { localAddress: addr });
    assert.equal((await from('127.0.0.2').get('/check?ip=192.0.2.1&ticket=g1')).status, 303);
    assert.equal((await from('127.0.0.3').get('/check?ip=192.0.2.1&ticket=g2')).status, 303);
    const third = await from('127.0.0.4').get('/check?ip=192.0.2.1&ticket=g3');
    assert.equal(third.status, 429, 'a third address, over the global budget');
    assert.ok(Number(third.headers.get('retry-after')) > 0);
  } finally { await s2.stop(); }
});

test('logged in with forwards to the provider that bounced: the report says so first', async () => {
  const c = new Client(stack.base);
  const csrf = await c.csrfFrom('/login');
  const login = await c.post('/login', { csrf, login: 'demo', password: 'demo-customer-pw' });
  assert.equal(login.status, 303);
  const { html } = await reportOf(c, await check(c, { bounce: fixture('aol-rtr-bb.eml') }));
  assert.match(html, /(\d+ of your mailboxes forward|1 mailbox of yours forwards) to AOL, the provider that refused/);
  assert.doesNotMatch(html, /1 of your mailboxes forward/);
  assert.match(html, /href="\/forwards\?provider=aol"/);
  // the first thing to do sits in the verdict card, before the causes
  const first = html.indexOf('id="first-action"');
  assert.ok(html.indexOf('id="verdict"') < first && first < html.indexOf('href="/forwards?provider=aol"'));
  assert.ok(html.indexOf('href="/forwards?provider=aol"') < html.indexOf('id="why"'));
});

test('cached report pages still carry each visitor their own csrf token', async () => {
  const a = new Client(stack.base);
  const { loc } = await reportOf(a, await check(a, { ip: '192.0.2.3' }));
  for (let i = 0; i < 3; i++) {
    const b = new Client(stack.base);
    const html = await (await b.get(loc)).text();
    const token = html.match(/name="csrf" value="([^"]+)"/)[1];
    assert.ok(csrfTokenFits(stack.dbPath, b.cookies.get('csrf'), token), 'signed for this visitor');
    assert.ok(!csrfTokenFits(stack.dbPath, a.cookies.get('csrf'), token), 'not for the first one');
    assert.doesNotMatch(html, /\x01/);
  }
  const again = await (await a.get(loc)).text();
  assert.ok(csrfTokenFits(stack.dbPath, a.cookies.get('csrf'), again.match(/name="csrf" value="([^"]+)"/)[1]));
});

test('a cached report page never carries another request\'s Host in its ticket link', async () => {
  const a = new Client(stack.base);
  const { loc } = await reportOf(a, await check(a, { ip: '192.0.2.1' }));
  // anonymous views of the report with a forged Host, on every worker
  for (let i = 0; i < 8; i++) {
    const r = await rawRequest(stack.port, `GET ${loc} HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`);
    assert.equal(r.status, 200);
  }
  for (let i = 0; i < 8; i++) {
    const html = await (await new Client(stack.base).get(loc)).text();
    const link = html.match(/id="report-link"[^>]*value="([^"]+)"/)[1];
    assert.doesNotMatch(link, /evil\.example/);
    assert.equal(link, `http://127.0.0.1:${stack.port}${loc}`);
  }
});

test('portalctl purge removes reports older than reports.retention_days', async () => {
  const { execFileSync } = await import('node:child_process');
  const { bin } = await import('../lib/stack.mjs');
  const c = new Client(stack.base);
  const old = await reportOf(c, await check(c, { ip: '192.0.2.1' }));
  // another submission (the same one within seconds would be the same report)
  const fresh = await reportOf(c, await check(c, { ip: '192.0.2.1', ticket: 'P-2' }));
  sqlite(stack.dbPath, `UPDATE reports SET created = created - 400 * 86400 WHERE token = '${old.token}'`);
  const out = execFileSync(bin('tools/portalctl'), ['--conf', stack.confPath, 'purge']).toString();
  assert.match(out, /reports/);
  assert.equal((await c.get(old.loc)).status, 404);
  assert.equal((await c.get(fresh.loc)).status, 200);
});

test('a report on one of our servers that monitoring knows is listed says "we know since"', async () => {
  const { spawnSync } = await import('node:child_process');
  const { bin } = await import('../lib/stack.mjs');
  const c = new Client(stack.base);
  const before = await reportOf(c, await check(c, { ip: '192.0.2.2' }));
  assert.doesNotMatch(before.html, /We know about this/);
  assert.doesNotMatch(await (await c.get('/')).text(), /Known problem/);
  const run = spawnSync(bin('tools/portalctl'), ['--conf', stack.confPath, 'monitor'], { encoding: 'utf8' });
  assert.ok(run.status !== null, run.stderr);
  const after = await (await new Client(stack.base).get(before.loc)).text();
  assert.match(after, /We know about this/);
  assert.match(after, /our monitoring has seen this server on [^<]+ since \d+ \w+ \d{4}/);
  assert.match(after, /SpamCop Blocking List/);
  assert.match(after, /It is being handled/);
  // the home page says it too, before anyone pastes anything: which
  // server, which lists, since when, handled, and one link
  const home = await (await new Client(stack.base).get('/')).text();
  const line = home.match(/<p class="notice known incident">[\s\S]*?<\/p>/g);
  assert.equal(line?.length, 2, 'one line per listed server (the zones list both)');
  assert.match(line[1], /our mail server <code>192\.0\.2\.3<\/code> is listed on [^<]*Spamhaus ZEN/);
  assert.match(line[0], /our mail server <code>192\.0\.2\.2<\/code> is listed on [^<]*SpamCop Blocking List[^<]* since \d+ \w+ \d{4}, \d\d:\d\d UTC\. We are handling it/);
  assert.match(line[0], /<a href="\/check\?ip=192\.0\.2\.2">/);
});

test('a bounce with no reason we recognise is "unknown", never "not a blacklist problem"', async () => {
  const c = new Client(stack.base);
  const bounce = 'Subject: Undelivered Mail\n\nYour message to someone@example.org could not be delivered.\n' +
    'Please contact your administrator.\n';
  const { token, html } = await reportOf(c, await check(c, { bounce }));
  const doc = await (await c.get(`/api/v1/reports/${token}`)).json();
  assert.equal(doc.verdict, 'unknown');
  assert.deepEqual(doc.causes, [], 'no causes are offered without evidence of a block');
  assert.match(doc.sentence, /could not tell/);
  assert.doesNotMatch(html, /not a blacklist problem/i);
});

// --- issue 14: reports that are right for the person reading them ---

// The page's visible text outside the "Technical details" block.
function visibleOutsideDetails(html) {
  return html.replace(/<details class="technical"[\s\S]*?<\/details>/, '')
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, '').replace(/<[^>]*>/g, ' ')
    .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const causeIds = (doc) => doc.causes.map((c) => c.id);

test('causes fit whose address it is and the kind of list, the likely one first', async () => {
  const c = new Client(stack.base);
  const cases = [
    // [ip, heading, likely cause, causes never offered]
    ['192.0.2.2', 'Blocked because our mail server is on a block list', 'exploit', ['own_network', 'other_provider']],
    ['2001:db8::2', 'Your sending address is listed, not our server', 'own_network', ['complaints', 'selfreport', 'newsletter', 'exploit']],
    ['192.0.2.10', 'Your sending address is listed, not our server', 'policy', ['complaints', 'selfreport', 'newsletter', 'exploit']],
  ];
  for (const [ip, heading, likely, never] of cases) {
    const r = await reportOf(c, await check(c, { ip }));
    const doc = await (await c.get(`/api/v1/reports/${r.token}`)).json();
    assert.equal(doc.heading, heading, ip);
    assert.match(r.html, new RegExp(`<h1 id="verdict">${heading.replace(/'/g, '&#39;')}</h1>`), ip);
    assert.equal(doc.cause, likely, ip);
    assert.equal(doc.causes[0].likely, true, ip);
    assert.ok(doc.causes.slice(1).every((x) => x.likely === false), ip);
    for (const id of never) assert.ok(!causeIds(doc).includes(id), `${ip} offers ${id}`);
    // each cause has its own evidence: no two causes share the same text
    const whys = doc.causes.map((x) => x.why);
    assert.equal(new Set(whys).size, whys.length, `${ip}: repeated evidence`);
    assert.match(r.html, /<p class="badge info">Most likely<\/p>/);
    if (ip !== '192.0.2.2') {
      assert.doesNotMatch(r.html, /we contact the sender|Nothing for you to fix|our listing does not affect it/, ip);
    }
  }
});

test('the small set of verdict headings, each with one next step', async () => {
  const c = new Client(stack.base);
  const cases = [
    [{ bounce: fixture('aol-rtr-bb.eml') }, 'provider_filter', /Blocked by the receiving provider&#39;s own filter/],
    [{ bounce: fixture('spamhaus-xbl-pasted.txt') }, 'our_server_listed', /Blocked because our mail server is on a block list/],
    [{ bounce: fixture('unknown-user.txt') }, 'not_blocklist', /Not a block-list problem/],
    [{ ip: '192.0.2.1' }, 'not_blocklist', /Not on any block list we checked/],
    [{ bounce: 'Your message could not be delivered.\nPlease contact your administrator.\n' }, 'could_not_tell', /We could not tell/],
  ];
  for (const [form, outcome, heading] of cases) {
    const r = await reportOf(c, await check(c, form));
    const doc = await (await c.get(`/api/v1/reports/${r.token}`)).json();
    assert.equal(doc.outcome, outcome);
    assert.match(r.html, heading);
    assert.match(r.html, /<p class="next-step">[^<]{20,}<\/p>/);
  }
});

test('raw rule ids, verdict ids and list TXT only inside "Technical details"', async () => {
  const c = new Client(stack.base);
  for (const form of [{ bounce: fixture('aol-rtr-bb.eml') }, { ip: '192.0.2.2' },
    { bounce: '550 5.7.1 Client host [192.0.2.2] blocked using bl.spamcop.net' }]) {
    const r = await reportOf(c, await check(c, form));
    const doc = await (await c.get(`/api/v1/reports/${r.token}`)).json();
    assert.match(r.html, /<details class="technical" id="technical">\s*<summary>Technical details<\/summary>/);
    const text = visibleOutsideDetails(r.html);
    assert.doesNotMatch(text, /\b(ip:)?(rule|code|provider|ipctx|diagnostic|list):[a-z0-9_]+/, 'rule ids');
    assert.ok(doc.evidence.some((e) => /^rule:/.test(e)) || form.ip, 'the bounce fired rules');
    assert.match(r.html, /<ul class="evidence">|class="raw-answers"/, 'they are in the details');
    assert.doesNotMatch(text, /\b(not_blacklist|selfreport|our_server_listed|provider_filter|your_address_listed|own_network)\b/);
    for (const chk of doc.checks.filter((x) => x.txt)) {
      assert.ok(!text.includes(chk.txt), `raw TXT of ${chk.zone} outside the details`);
    }
    assert.doesNotMatch(text, /lists lists|listed on:[^ ]/);
  }
});

test('the refusal shows the recipient and other addresses only to the holder (page and API)', async () => {
  const holder = new Client(stack.base);
  const bounce = 'Final-Recipient: rfc822; bob@example.net\n\n' +
    '550 5.7.1 <bob@example.net>: Recipient address rejected: Client host [192.0.2.2] blocked using ' +
    'bl.spamcop.net; mail from <alice@customer.example> cc carol.x+y@example.org refused';
  const { loc, token, html } = await reportOf(holder, await check(holder, { bounce }));
  assert.match(html, /bob@example\.net/);
  assert.match(html, /carol\.x\+y@example\.org/);
  assert.match(html, /word for word/);
  const stranger = new Client(stack.base);
  const page = await (await stranger.get(loc)).text();
  for (const a of ['bob@example.net', 'alice@customer.example', 'carol.x+y@example.org']) {
    assert.ok(!page.includes(a), `page leaks ${a}`);
  }
  assert.match(page, /&lt;\[address removed\]&gt;: Recipient address rejected/);
  assert.match(page, /with mail addresses removed/);
  assert.match(page, /only the person who made this report sees them/);
  assert.doesNotMatch(page, /This link shows exactly this report/);
  const api = await (await stranger.get(`/api/v1/reports/${token}`)).json();
  const json = JSON.stringify(api);
  for (const a of ['bob@example.net', 'alice@customer.example', 'carol.x+y@example.org']) {
    assert.ok(!json.includes(a), `API leaks ${a}`);
  }
  assert.match(api.diagnostic, /\[address removed\]/);
  const mine = await (await holder.get(`/api/v1/reports/${token}`)).json();
  assert.match(mine.diagnostic, /<bob@example\.net>/);
});

test('DNS unreachable: "we could not check right now", no ticket link', async () => {
  const s2 = await startStack({ conf: { 'dns.servers': '127.0.0.1:9', 'dns.timeout_ms': 400 } });
  try {
    const c = new Client(s2.base);
    const res = await c.get('/check?ip=192.0.2.1&ticket=777');
    assert.equal(res.status, 303);
    const html = await (await c.get(res.headers.get('location'))).text();
    assert.match(html, /<h1 id="verdict">We could not check right now<\/h1>/);
    assert.match(html, /try again in a few minutes/i);
    assert.doesNotMatch(html, /Partly unknown|not listed on the 0 lists/);
    assert.doesNotMatch(html, /id="report-link"|Link for your support ticket/);
    assert.match(html, /<button type="submit" class="button primary">Check again<\/button>/);
    assert.doesNotMatch(html, /<table class="lists">/, 'no table of error rows');
  } finally { await s2.stop(); }
});

test('GET /check?ip=&ticket= within a short window reuses its report', async () => {
  const c = new Client(stack.base);
  const count = () => Number(sqlite(stack.dbPath, "SELECT count(*) FROM reports WHERE source = 'link' AND ticket = 'R-900'"));
  const a = await c.get('/check?ip=192.0.2.3&ticket=R-900');
  assert.equal(a.status, 303);
  const b = await new Client(stack.base).get('/check?ip=192.0.2.3&ticket=R-900');   // a link previewer
  assert.equal(b.headers.get('location'), a.headers.get('location'));
  assert.equal(count(), 1);
  const other = await c.get('/check?ip=192.0.2.3&ticket=R-901');
  assert.notEqual(other.headers.get('location'), a.headers.get('location'));
  // an older link report is not reused
  sqlite(stack.dbPath, "UPDATE reports SET created = created - 3600 WHERE ticket = 'R-900'");
  const later = await c.get('/check?ip=192.0.2.3&ticket=R-900');
  assert.notEqual(later.headers.get('location'), a.headers.get('location'));
  assert.equal(count(), 2);
});

test('a bounce naming a list but no server: an inline IP field and our servers\' status', async () => {
  const c = new Client(stack.base);
  const r = await reportOf(c, await check(c, { bounce: '550 5.7.1 Service unavailable; blocked using bl.spamcop.net' }));
  const doc = await (await c.get(`/api/v1/reports/${r.token}`)).json();
  assert.equal(doc.outcome, 'server_listed');
  assert.match(r.html, /<h1 id="verdict">Blocked because the sending server is on a block list<\/h1>/);
  assert.match(r.html, /<form method="get" action="\/check" class="inline-form ip-inline">/);
  assert.match(r.html, /<label for="inline-ip">The sending server's IP address<\/label>/);
  assert.match(r.html, /<h2 id="ours">Our outgoing servers<\/h2>/);
  assert.match(r.html, /monitoring (has not checked|saw none|last saw)|is listed on/);
});

test('provider settings: asked, remembered client-side, web-mail caveat, not-listed path', async () => {
  const c = new Client(stack.base);
  const { loc } = await reportOf(c, await check(c, { ip: '192.0.2.2' }));
  let html = await (await c.get(`${loc}?isp=gmail`)).text();
  assert.match(html, /<option value="gmail" selected>Gmail<\/option>/);
  assert.match(html, /smtp\.gmail\.com/);
  assert.match(html, /web-mail service: its server sends only as your address at Gmail, not as your own domain/);
  html = await (await c.get(`${loc}?isp=bt`)).text();
  assert.match(html, /mail\.btinternet\.com/);
  assert.doesNotMatch(html, /class="notice warn webmail"/);
  html = await (await c.get(`${loc}?isp=other`)).text();
  assert.match(html, /<option value="other" selected>My provider isn't listed<\/option>/);
  assert.match(html, /outgoing mail server \(SMTP\)/);
  assert.match(html, /data-remember-isp/);
  for (const id of ['bt', 'virginmedia', 'orange', 'free', 'movistar', 'libero', 'kpn', 'ziggo']) {
    assert.match(html, new RegExp(`<option value="${id}">`), id);
  }
});

test('the IP field takes ordinary pastes: spaces, [brackets], the IPv6: prefix', async () => {
  for (const [typed, ip] of [[' 192.0.2.2 ', '192.0.2.2'], ['[192.0.2.2]', '192.0.2.2'], ['IPv6:2001:db8::2', '2001:db8::2']]) {
    const c = new Client(stack.base);
    const { token } = await reportOf(c, await check(c, { ip: typed }));
    const doc = await (await c.get(`/api/v1/reports/${token}`)).json();
    assert.equal(doc.ip, ip, typed);
  }
  const c = new Client(stack.base);
  const bad = await check(c, { ip: '[not an address]' });
  assert.equal(bad.status, 422);
});

describe('a server name in the IP field (resolved through dns.servers)', () => {
  test('one address: checked, and the report says which name it came from', async () => {
    const c = new Client(stack.base);
    for (const typed of ['mail.servers.example', ' MAIL.Servers.Example. ']) {
      const { html, token } = await reportOf(c, await check(c, { ip: typed }));
      assert.match(html, /Live status of 192\.0\.2\.2 \(mail\.servers\.example\)/, typed);
      assert.match(html, /192\.0\.2\.2 \(mail\.servers\.example\) is listed on \d+ of the \d+ block lists we checked/, 'the name is in the verdict');
      assert.match(html, /<span class="badge listed">listed<\/span>/);
      const doc = await (await c.get(`/api/v1/reports/${token}`)).json();
      assert.equal(doc.ip, '192.0.2.2');
      assert.equal(doc.host, 'mail.servers.example');
    }
  });

  test('several addresses: the customer picks one, each a normal check', async () => {
    const c = new Client(stack.base);
    const res = await check(c, { ip: 'multi.servers.example', ticket: 'HD-515' });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<code>multi\.servers\.example<\/code> has 2 addresses\./);
    const buttons = [...html.matchAll(/<input type="hidden" name="ip" value="([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(buttons, ['192.0.2.1', '192.0.2.2'], 'in address order, the same on every visit');
    assert.match(html, /<input type="hidden" name="ticket" value="HD-515">/, 'the ticket is kept');
    const csrf = html.match(/name="csrf" value="([^"]+)"/)[1];
    const { html: report } = await reportOf(c, await c.post('/check', { csrf, ip: '192.0.2.1', ticket: 'HD-515' }));
    assert.match(report, /192\.0\.2\.1/);
  });

  test('a name with no address, a mistyped address: 422 with the reason', async () => {
    const c = new Client(stack.base);
    let res = await check(c, { ip: 'nosuch.servers.example' });
    assert.equal(res.status, 422);
    assert.match(await res.text(), /This server name has no address in DNS/);
    res = await check(c, { ip: '203.0.113' });
    assert.equal(res.status, 422);
    assert.match(await res.text(), /Enter an IPv4 address like 203\.0\.113\.25, an IPv6 address, or a mail server&#39;s name|Enter an IPv4 address like 203\.0\.113\.25, an IPv6 address, or a mail server's name/);
    res = await check(c, { ip: 'not a name!' });
    assert.equal(res.status, 422);
  });

  test('the support link takes a name too', async () => {
    const c = new Client(stack.base);
    const res = await c.get('/check?ip=clean.servers.example&ticket=HD-516');
    const { html } = await reportOf(c, res);
    assert.match(html, /Live status of 192\.0\.2\.1 \(clean\.servers\.example\)/);
    assert.match(html, /HD-516/);
  });

  test('resolver down: "we could not look this name up right now"', async () => {
    const silent = await startStack({ conf: { 'dns.servers': '127.0.0.1:9', 'dns.timeout_ms': 300 } });
    try {
      const c = new Client(silent.base);
      const res = await check(c, { ip: 'mail.servers.example' });
      assert.equal(res.status, 422);
      assert.match(await res.text(), /We could not look this name up right now/);
    } finally {
      await silent.stop();
    }
  });
});

test('an address that is not ours: each listing links to its delisting page', async () => {
  const c = new Client(stack.base);
  const { html } = await reportOf(c, await check(c, { ip: '127.0.0.2' }));
  assert.match(html, /<a href="https:\/\/check\.spamhaus\.org\/results\/\?query=127\.0\.0\.2" rel="noopener noreferrer">delisting page<\/a>/);
  assert.doesNotMatch(html, /our team handles this/);
});
