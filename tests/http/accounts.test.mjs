// Accounts and forwards through real nginx + portal.fcgi: login, logout,
// session cookie and expiry, CSRF on every POST, login throttling, the
// forward switch with its audit line, and ownership on every route.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { startStack, Client, sqlite, bin, setCookies } from '../lib/stack.mjs';

const DEMO = { login: 'demo', password: 'demo-customer-pw' };
const OTHER = { login: 'florist', password: 'demo-florist-pw' };
const ADMIN = { login: 'admin', password: 'demo-admin-pw' };

let stack;
before(async () => { stack = await startStack({ workers: 2 }); });
after(async () => { await stack?.stop(); });

async function login(who, extra = {}) {
  const c = new Client(stack.base);
  const csrf = await c.csrfFrom('/login');
  const res = await c.post('/login', { login: who.login, password: who.password, csrf, ...extra });
  assert.equal(res.status, 303, `login as ${who.login}`);
  return { c, res };
}

// The forward id of mailbox -> destination, straight from the database.
function forwardId(mailbox, destination) {
  return Number(sqlite(stack.dbPath,
    `SELECT f.id FROM forwards f JOIN mailboxes m ON m.id = f.mailbox_id
     WHERE m.address = '${mailbox}' AND f.destination = '${destination}'`));
}

const active = (id) => Number(sqlite(stack.dbPath, `SELECT active FROM forwards WHERE id = ${id}`));
const auditCount = () => Number(sqlite(stack.dbPath, 'SELECT count(*) FROM forward_audit'));

async function formToken(c, path = '/forwards') {
  const html = await (await c.get(path)).text();
  const m = html.match(/name="csrf" value="([^"]+)"/);
  assert.ok(m, 'page has a csrf field');
  return m[1];
}

describe('login and logout', () => {
  test('the login form has the contract fields', async () => {
    const res = await fetch(`${stack.base}/login`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<form method="post" action="\/login"/);
    assert.match(html, /<input id="login" name="login" type="text" autocomplete="username"/);
    assert.match(html, /<input id="password" name="password" type="password" autocomplete="current-password"/);
    assert.match(html, /name="csrf" value="\d{10}-[A-Za-z0-9_-]{43}"/, 'expiry and HMAC');
    assert.match(html, /<label for="login">/);
  });

  test('anonymous /forwards goes to the login page', async () => {
    const res = await fetch(`${stack.base}/forwards`, { redirect: 'manual' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/login?next=/forwards');
  });

  test('good login: 303 to /forwards, a hardened cookie, only its hash stored', async () => {
    const { c, res } = await login(DEMO);
    assert.equal(res.headers.get('location'), '/forwards');
    const cookie = setCookies(res).find((s) => s.startsWith('sid='));
    assert.ok(cookie, 'sid cookie set');
    assert.match(cookie, /^sid=[A-Za-z0-9_-]{43};/, '256-bit id, base64url');
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
    assert.match(cookie, /; Path=\//);
    assert.match(cookie, /; Max-Age=43200/, 'auth.session_hours = 12 by default');
    assert.doesNotMatch(cookie, /Secure/, 'plain http here');
    const sid = c.cookies.get('sid');
    const stored = sqlite(stack.dbPath, 'SELECT hex(id_hash) FROM sessions').split('\n');
    const hash = createHash('sha256').update(sid).digest('hex').toUpperCase();
    assert.ok(stored.includes(hash), 'the SHA-256 of the id is stored');
    assert.equal(sqlite(stack.dbPath, `SELECT count(*) FROM sessions WHERE id_hash = '${sid}' OR csrf = '${sid}'`), '0');
    assert.equal(sqlite(stack.dbPath, "SELECT count(*) FROM sessions WHERE csrf != ''"), '0', 'no CSRF token is stored: it is derived from the session id');
    const page = await c.get('/forwards');
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Log out <span class="muted">\(demo\)<\/span>/);
  });

  test('wrong password and unknown login get the same generic answer', async () => {
    const answers = [];
    for (const form of [{ login: 'demo', password: 'not-the-password' }, { login: 'nobody-here', password: 'whatever-pw' }]) {
      const c = new Client(stack.base);
      const csrf = await c.csrfFrom('/login');
      const res = await c.post('/login', { ...form, csrf });
      const html = await res.text();
      answers.push({ status: res.status, message: html.match(/<p class="notice warn" role="alert">([^<]*)/)?.[1] });
      assert.equal(setCookies(res).filter((s) => s.startsWith('sid=')).length, 0);
    }
    assert.equal(answers[0].status, 422);
    assert.deepEqual(answers[0], answers[1]);
    assert.match(answers[0].message, /login or password is not right/);
  });

  test('the entered login is echoed escaped, and a hostile one is refused', async () => {
    const c = new Client(stack.base);
    const csrf = await c.csrfFrom('/login');
    const res = await c.post('/login', { login: '<script>alert(1)</script>', password: 'x-password', csrf });
    assert.equal(res.status, 422);
    assert.doesNotMatch(await res.text(), /<script>alert/);
  });

  test('session id rotates on login: the old id stops working', async () => {
    const { c } = await login(DEMO);
    const first = c.cookies.get('sid');
    const again = await c.get('/login');
    assert.equal(again.status, 303, 'logged in: /login sends you on');
    // logging in again from the same browser (the form carries the session's token)
    const res = await c.post('/login', { ...DEMO, csrf: await formToken(c) });
    assert.equal(res.status, 303);
    assert.notEqual(c.cookies.get('sid'), first);
    assert.equal((await c.get('/forwards')).status, 200);
    const stale = new Client(stack.base);
    stale.cookies.set('sid', first);
    assert.equal((await stale.get('/forwards')).status, 303, 'the old id no longer logs in');
  });

  test('a customer sees their own past reports on the home page, and only theirs', async () => {
    const { c } = await login(DEMO);
    const csrf = await formToken(c);
    const res = await c.post('/check', { ip: '192.0.2.1', ticket: 'MINE-1', csrf });
    assert.equal(res.status, 303);
    const token = res.headers.get('location').slice(3);
    const html = await (await c.get('/')).text();
    assert.match(html, /<h2 id="mine">Your recent reports<\/h2>/);
    assert.match(html, new RegExp(`href="/r/${token}"`));
    assert.match(html, /192\.0\.2\.1: [a-z -]+ · ticket MINE-1/);
    // another customer and an anonymous visitor do not see it
    const other = await login(OTHER);
    assert.doesNotMatch(await (await other.c.get('/')).text(), new RegExp(token));
    assert.doesNotMatch(await (await new Client(stack.base).get('/')).text(), /Your recent reports/);
  });

  test('expired sessions are swept at the next login', async () => {
    sqlite(stack.dbPath, "INSERT INTO sessions(id_hash, user_id, csrf, client, expires) SELECT randomblob(32), id, 'x', '127.0.0.1', 1 FROM users WHERE login = 'demo'");
    assert.ok(Number(sqlite(stack.dbPath, 'SELECT count(*) FROM sessions WHERE expires <= 1')) >= 1);
    await login(DEMO);
    assert.equal(sqlite(stack.dbPath, "SELECT count(*) FROM sessions WHERE expires <= strftime('%s','now')"), '0');
  });

  test('logout: POST with csrf ends the session and clears the cookie', async () => {
    const { c } = await login(DEMO);
    const sid = c.cookies.get('sid');
    const csrf = await formToken(c);
    const res = await c.post('/logout', { csrf });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/');
    assert.ok(setCookies(res).some((s) => /^sid=;.*Max-Age=0/.test(s)));
    assert.equal(c.cookies.has('sid'), false);
    const replay = new Client(stack.base);
    replay.cookies.set('sid', sid);
    assert.equal((await replay.get('/forwards')).status, 303, 'a replayed cookie is dead');
    const hash = createHash('sha256').update(sid).digest('hex').toUpperCase();
    assert.equal(sqlite(stack.dbPath, `SELECT count(*) FROM sessions WHERE hex(id_hash) = '${hash}'`), '0');
  });

  test('logout is POST only', async () => {
    const { c } = await login(DEMO);
    assert.equal((await c.get('/logout')).status, 405);
    assert.equal((await c.get('/forwards')).status, 200, 'still logged in');
  });

  test('an expired session is refused', async () => {
    const { c } = await login(DEMO);
    assert.equal((await c.get('/forwards')).status, 200);
    const hash = createHash('sha256').update(c.cookies.get('sid')).digest('hex').toUpperCase();
    sqlite(stack.dbPath, `UPDATE sessions SET expires = unixepoch() - 1 WHERE hex(id_hash) = '${hash}'`);
    const res = await c.get('/forwards');
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location'), /^\/login/);
  });

  test('next= returns to a local page only', async () => {
    const c = new Client(stack.base);
    const csrf = await c.csrfFrom('/login?next=/forwards?provider=aol');
    let res = await c.post('/login', { ...DEMO, csrf, next: '/forwards?provider=aol' });
    assert.equal(res.headers.get('location'), '/forwards?provider=aol');
    const c2 = new Client(stack.base);
    const csrf2 = await c2.csrfFrom('/login');
    res = await c2.post('/login', { ...DEMO, csrf: csrf2, next: '//evil.example/' });
    assert.equal(res.headers.get('location'), '/forwards');
  });

  test('an admin lands on /admin and owns no forwards', async () => {
    const { c, res } = await login(ADMIN);
    assert.equal(res.headers.get('location'), '/admin');
    const html = await (await c.get('/forwards')).text();
    assert.match(html, /staff account/);
    assert.doesNotMatch(html, /demo-bakery\.example|harbor-florist\.example/);
  });

  test('a disabled user cannot log in and loses their sessions', async () => {
    execFileSync(bin('tools/portalctl'), ['--conf', stack.confPath, 'user', 'add', 'leaver', '--role', 'customer',
      '--customer', 'Demo Bakery Ltd'], { input: 'leaver-password\n' });
    const { c } = await login({ login: 'leaver', password: 'leaver-password' });
    assert.equal((await c.get('/forwards')).status, 200);
    execFileSync(bin('tools/portalctl'), ['--conf', stack.confPath, 'user', 'disable', 'leaver']);
    assert.equal((await c.get('/forwards')).status, 303);
    const again = new Client(stack.base);
    const csrf = await again.csrfFrom('/login');
    assert.equal((await again.post('/login', { login: 'leaver', password: 'leaver-password', csrf })).status, 422);
  });
});

describe('CSRF on every POST', () => {
  test('login without or with a wrong token: 403', async () => {
    const c = new Client(stack.base);
    await c.csrfFrom('/login');
    assert.equal((await c.post('/login', DEMO)).status, 403);
    assert.equal((await c.post('/login', { ...DEMO, csrf: 'A'.repeat(43) })).status, 403);
    // a token without the matching cookie (another browser's) is refused too
    const fresh = new Client(stack.base);
    const token = await c.csrfFrom('/login');
    assert.equal((await fresh.post('/login', { ...DEMO, csrf: token })).status, 403);
  });

  test('toggle and logout without or with a wrong token: 403, nothing changes', async () => {
    const { c } = await login(DEMO);
    const id = forwardId('jobs@demo-bakery.example', 'hiring.bakery@gmail.com');
    const before = active(id);
    const audits = auditCount();
    assert.equal((await c.post(`/forwards/${id}/toggle`, { state: 'off' })).status, 403);
    assert.equal((await c.post(`/forwards/${id}/toggle`, { state: 'off', csrf: 'x'.repeat(43) })).status, 403);
    // the anonymous double-submit cookie is no good once logged in
    assert.equal((await c.post(`/forwards/${id}/toggle`, { state: 'off', csrf: c.cookies.get('csrf') })).status, 403);
    // another user's session token is no good either
    const { c: other } = await login(OTHER);
    const otherToken = await formToken(other);
    assert.equal((await c.post(`/forwards/${id}/toggle`, { state: 'off', csrf: otherToken })).status, 403);
    assert.equal(active(id), before);
    assert.equal(auditCount(), audits);
    assert.equal((await c.post('/logout', {})).status, 403);
    assert.equal((await c.get('/forwards')).status, 200, 'still logged in');
  });
});

// Anonymous tokens (issue 15, M4): what a test can make with the server
// secret, to prove the format and the expiry, not to bypass them.
const csrfKey = () => readFileSync(`${stack.dbPath}.csrf-key`);
const sign = (expiry, visitor) =>
  `${expiry}-${createHmac('sha256', csrfKey()).update(`csrf:${expiry}:${visitor}`).digest('base64url')}`;

describe('anonymous CSRF tokens an attacker cannot choose', () => {
  test('a planted cookie with a matching field is refused on /login and /check', async () => {
    const c = new Client(stack.base);
    const planted = 'A'.repeat(43);
    c.cookies.set('csrf', planted);
    assert.equal((await c.post('/login', { ...DEMO, csrf: planted })).status, 403);
    c.cookies.set('csrf', planted);
    assert.equal((await c.post('/check', { ip: '192.0.2.1', csrf: planted })).status, 403);
    // the server never signs for a cookie it did not issue: a new one comes back
    const fresh = new Client(stack.base);
    fresh.cookies.set('csrf', `${planted}.${'B'.repeat(43)}`);
    await fresh.csrfFrom('/login');
    assert.notEqual(fresh.cookies.get('csrf'), `${planted}.${'B'.repeat(43)}`);
  });

  test('the cookie is signed and the token is bound to it and expires', async () => {
    const c = new Client(stack.base);
    const token = await c.csrfFrom('/login');
    const visitor = c.cookies.get('csrf');
    const [id, mac] = visitor.split('.');
    assert.equal(mac, createHmac('sha256', csrfKey()).update(`visitor:${id}`).digest('base64url'));
    const expiry = Number(token.split('-')[0]);
    const now = Math.floor(Date.now() / 1000);
    assert.ok(expiry > now + 11 * 3600 && expiry <= now + 12 * 3600 + 5, 'valid for 12 hours');
    assert.equal(token, sign(expiry, visitor), 'HMAC of expiry and cookie');
    assert.equal((await c.post('/login', { ...DEMO, csrf: sign(now - 1, visitor) })).status, 403, 'expired');
    assert.equal((await c.post('/login', { ...DEMO, csrf: sign(now + 13 * 3600, visitor) })).status, 403, 'beyond the lifetime');
    assert.equal((await c.post('/login', { ...DEMO, csrf: `${expiry + 1}-${token.split('-').slice(1).join('-')}` })).status, 403, 'expiry changed');
    assert.equal((await c.post('/login', { ...DEMO, csrf: sign(now + 60, visitor) })).status, 303, 'a live token made with the secret works');
  });

  test('a token in the query string is never accepted', async () => {
    const c = new Client(stack.base);
    const csrf = await c.csrfFrom('/login');
    assert.equal((await c.post(`/login?csrf=${csrf}`, DEMO)).status, 403);
    assert.equal((await c.post(`/login?csrf=${csrf}`, { ...DEMO, csrf })).status, 403, 'not even next to the body one');
    assert.equal((await c.post('/login', { ...DEMO, csrf })).status, 303);
  });

  test('Origin, or Referer without it, must name this site', async () => {
    const c = new Client(stack.base);
    const csrf = await c.csrfFrom('/login');
    const host = new URL(stack.base).host;
    const post = (headers) => c.post('/login', { ...DEMO, csrf }, { headers });
    assert.equal((await post({ origin: 'http://evil.example' })).status, 403);
    assert.equal((await post({ origin: 'null' })).status, 403);
    assert.equal((await post({ origin: `http://${host}.evil.example` })).status, 403);
    assert.equal((await post({ origin: `http://${host.split(':')[0]}.evil.example` })).status, 403);
    assert.equal((await post({ origin: `ftp://${host}` })).status, 403);
    assert.equal((await post({ origin: `https://${host}` })).status, 403, 'another scheme');
    assert.equal((await post({ origin: 'http://127.0.0.1:1' })).status, 403, 'another port');
    assert.equal((await post({ origin: `http://${host.split(':')[0]}` })).status, 403, 'port 80 is another port');
    assert.equal((await post({ referer: 'http://evil.example/page' })).status, 403);
    assert.equal((await post({ origin: `http://${host}` })).status, 303);
    const { c: logged } = await login(DEMO);
    const id = forwardId('jobs@demo-bakery.example', 'hiring.bakery@gmail.com');
    const before = active(id);
    const token = await formToken(logged);
    const res = await logged.post(`/forwards/${id}/toggle`, { state: before ? 'off' : 'on', csrf: token },
      { headers: { referer: 'http://evil.example/' } });
    assert.equal(res.status, 403, 'logged-in forms too');
    assert.equal(active(id), before);
  });

  test('with site.base_url, only that origin counts', async () => {
    const own = await startStack({ workers: 1, conf: { 'site.base_url': 'https://helpdesk.example' } });
    try {
      const post = async (origin) => {
        const c = new Client(own.base);
        const csrf = await c.csrfFrom('/login');
        return (await c.post('/login', { ...DEMO, csrf }, { headers: { origin } })).status;
      };
      assert.equal(await post(own.base), 403, 'the address it was reached at is not its public one');
      assert.equal(await post('http://helpdesk.example'), 403);
      assert.equal(await post('https://helpdesk.example:8443'), 403);
      assert.equal(await post('https://HelpDesk.example'), 303);
      assert.equal(await post('https://helpdesk.example:443'), 303);
    } finally {
      await own.stop();
    }
  });

  test('duplicate cookies of ours: 400, a page that says why, our copy cleared', async () => {
    const c = new Client(stack.base);
    const csrf = await c.csrfFrom('/login');
    const mine = c.cookies.get('csrf');
    const res = await fetch(`${stack.base}/login`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `csrf=${mine}; csrf=${mine}` },
      body: new URLSearchParams({ ...DEMO, csrf }),
    });
    assert.equal(res.status, 400);
    const page = await res.text();
    assert.match(page, /sent one of this site’s cookies twice|sent one of this site's cookies twice/);
    assert.match(page, /<title>Please reload this page · /);
    assert.match(page, /<h1>Please reload this page<\/h1>/);
    assert.ok(setCookies(res).some((l) => /^csrf=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0$/.test(l)), 'our copy is cleared');
    for (const cookie of ['sid=a; x=1; sid=b', 'holder=a;\tholder=b', 'csrf=a;csrf=b', ' csrf = a ; csrf=b']) {
      const r = await fetch(`${stack.base}/`, { headers: { cookie } });
      assert.equal(r.status, 400, cookie);
    }
    assert.equal((await fetch(`${stack.base}/`, { headers: { cookie: 'a=1; a=2; csrf=x' } })).status, 200, 'other cookies may repeat');
    assert.equal((await fetch(`${stack.base}/`, { headers: { cookie: 'sid=; sid=x; %63srf=a; csrf=b' } })).status, 200,
      'an empty copy, or an encoded name, is not one the CGI kit would read as ours');
  });
});

describe('forwards', () => {
  test('the page lists only my mailboxes, with risk badges and switches', async () => {
    const { c } = await login(DEMO);
    const html = await (await c.get('/forwards')).text();
    assert.match(html, /info@demo-bakery\.example/);
    assert.match(html, /owner\.bakery@aol\.com/);
    assert.doesNotMatch(html, /harbor-florist\.example|florist\.owner@yahoo\.com/);
    const aol = forwardId('info@demo-bakery.example', 'owner.bakery@aol.com');
    const row = html.slice(html.indexOf(`<tr id="f${aol}"`));
    assert.match(row, /class="badge risky"/);
    assert.match(row, /AOL Mail/);
    assert.match(row, new RegExp(`<form method="post" action="/forwards/${aol}/toggle"`));
    const book = forwardId('orders@demo-bakery.example', 'accounts@bookkeeping.example');
    assert.match(html.slice(html.indexOf(`<tr id="f${book}"`)), /class="badge safe"/);
    assert.match(html, /What is “self-reporting”\?/);
    assert.match(html, /IMAP/);
    assert.match(html, /below the spam threshold/);
  });

  test('toggle: off and on again, each change in the audit log with who and from where', async () => {
    const { c } = await login(DEMO);
    const id = forwardId('orders@demo-bakery.example', 'bakery.orders@comcast.net');
    let csrf = await formToken(c);
    let res = await c.post(`/forwards/${id}/toggle`, { csrf, state: 'off' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/forwards?changed=${id}#done`);
    assert.equal(active(id), 0);
    let html = await (await c.get(`/forwards?changed=${id}`)).text();
    assert.match(html, /the forward from <span class="addr">orders@demo-bakery\.example<\/span> to <span class="addr">bakery\.orders@comcast\.net<\/span> is now <strong>off<\/strong>/);
    assert.match(html, /aria-label="Turn on the forward to bakery\.orders@comcast\.net"/);
    // the provider filter survives the switch
    csrf = await formToken(c);
    res = await c.post(`/forwards/${id}/toggle`, { csrf, state: 'off', provider: 'comcast' });
    assert.equal(res.headers.get('location'), `/forwards?changed=${id}&provider=comcast#done`);
    const row = html.slice(html.indexOf(`<tr id="f${id}"`), html.indexOf('</tr>', html.indexOf(`<tr id="f${id}"`)));
    assert.match(row, /class="badge off"/);
    assert.match(row, /name="state" value="on"/);
    assert.match(html, /<td>demo<\/td><td>turned off: orders@demo-bakery\.example -&gt; bakery\.orders@comcast\.net<\/td><td>127\.0\.0\.1<\/td>/);
    const line = sqlite(stack.dbPath, `SELECT actor, action, client, user_id IS NOT NULL FROM forward_audit WHERE forward_id = ${id} ORDER BY id DESC LIMIT 1`);
    assert.equal(line, 'demo|off|127.0.0.1|1');

    // the same form sent twice changes nothing the second time
    const audits = auditCount();
    res = await c.post(`/forwards/${id}/toggle`, { csrf, state: 'off' });
    assert.equal(res.status, 303);
    assert.equal(auditCount(), audits);

    csrf = await formToken(c);
    res = await c.post(`/forwards/${id}/toggle`, { csrf, state: 'on' });
    assert.equal(res.status, 303);
    assert.equal(active(id), 1);
    // without a state the switch flips
    res = await c.post(`/forwards/${id}/toggle`, { csrf });
    assert.equal(active(id), 0);
    res = await c.post(`/forwards/${id}/toggle`, { csrf });
    assert.equal(active(id), 1);
    assert.equal((await c.post(`/forwards/${id}/toggle`, { csrf, state: 'maybe' })).status, 422);
    html = await (await c.get('/forwards')).text();
    assert.match(html, /turned on: orders@demo-bakery\.example/);
  });

  test('?provider= marks the forwards to the provider that bounced the mail', async () => {
    const { c } = await login(DEMO);
    const html = await (await c.get('/forwards?provider=aol')).text();
    const id = forwardId('info@demo-bakery.example', 'owner.bakery@aol.com');
    assert.match(html, new RegExp(`<tr id="f${id}" class="forward highlight"`));
    assert.match(html, /go to <strong>AOL Mail<\/strong>/);
    const none = await (await c.get('/forwards?provider=apple')).text();
    assert.match(none, /None of your forwards go to iCloud Mail/);
  });
});

describe('ownership: another customer\'s forward is 404 on every route', () => {
  test('toggle of the florist\'s forward as the bakery: 404, nothing changes', async () => {
    const { c } = await login(DEMO);
    const csrf = await formToken(c);
    const theirs = forwardId('shop@harbor-florist.example', 'florist.owner@yahoo.com');
    const audits = auditCount();
    for (const state of ['off', 'on', undefined]) {
      const form = state ? { csrf, state } : { csrf };
      const res = await c.post(`/forwards/${theirs}/toggle`, form);
      assert.equal(res.status, 404);
      assert.doesNotMatch(await res.text(), /harbor-florist|florist\.owner/);
    }
    assert.equal(active(theirs), 1);
    assert.equal(auditCount(), audits);
  });

  test('and the other way round; unknown and malformed ids are 404 too', async () => {
    const { c } = await login(OTHER);
    const csrf = await formToken(c);
    const html = await (await c.get('/forwards')).text();
    assert.match(html, /shop@harbor-florist\.example/);
    assert.doesNotMatch(html, /demo-bakery\.example/);
    assert.doesNotMatch(html, /turned (on|off): [a-z]+@demo-bakery/);
    const mine = forwardId('info@demo-bakery.example', 'owner.bakery@aol.com');
    for (const id of [mine, 999999, 0, '01', 'abc', '-1', '1e3', '99999999999999999999']) {
      const res = await c.post(`/forwards/${id}/toggle`, { csrf, state: 'off' });
      assert.equal(res.status, 404, `id ${id}`);
    }
    assert.equal(active(mine), 1);
  });

  test('an admin cannot toggle a customer\'s forward through the customer route', async () => {
    const { c } = await login(ADMIN);
    const csrf = await formToken(c, '/');
    const id = forwardId('jobs@demo-bakery.example', 'hiring.bakery@gmail.com');
    assert.equal((await c.post(`/forwards/${id}/toggle`, { csrf, state: 'off' })).status, 404);
  });

  test('wrong methods and anonymous visitors', async () => {
    const id = forwardId('jobs@demo-bakery.example', 'hiring.bakery@gmail.com');
    assert.equal((await fetch(`${stack.base}/forwards/${id}/toggle`, { redirect: 'manual' })).status, 405);
    const anon = new Client(stack.base);
    const csrf = await anon.csrfFrom('/');
    const res = await anon.post(`/forwards/${id}/toggle`, { csrf, state: 'off' });
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location'), /^\/login/);
    assert.equal((await anon.post(`/forwards/${id}/toggle`, { state: 'off' })).status, 403);
    assert.equal(active(id), 1);
  });
});

describe('login throttling', () => {
  test('per account and address: 429 with Retry-After after repeated failures, even with the right password; never for the owner elsewhere', async () => {
    execFileSync(bin('tools/portalctl'), ['--conf', stack.confPath, 'user', 'add', 'target', '--role', 'customer',
      '--customer', 'Demo Bakery Ltd'], { input: 'target-password\n' });
    const c = new Client(stack.base);
    const csrf = await c.csrfFrom('/login');
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await c.post('/login', { login: 'Target', password: `wrong-${i}-pw`, csrf })).status);
    assert.deepEqual(statuses, [422, 422, 422, 422, 429]);
    const res = await c.post('/login', { login: 'target', password: 'target-password', csrf });
    assert.equal(res.status, 429);
    const retry = Number(res.headers.get('retry-after'));
    assert.ok(retry > 0 && retry <= 900, `Retry-After ${retry}`);
    assert.match(await res.text(), /Too many failed attempts/);
    assert.equal(setCookies(res).filter((s) => s.startsWith('sid=')).length, 0);
    // other accounts from the same address are not locked by this one
    const ok = new Client(stack.base);
    const t = await ok.csrfFrom('/login');
    assert.equal((await ok.post('/login', { ...DEMO, csrf: t })).status, 303);
    // the account owner elsewhere is not locked out by these failures
    const owner = new Client(stack.base, { localAddress: '127.0.0.2' });
    const ot = await owner.csrfFrom('/login');
    assert.equal((await owner.post('/login', { login: 'target', password: 'target-password', csrf: ot })).status, 303,
      'the right password from another address works while 127.0.0.1 is locked');
    // back-off: once the lock is over (simulated), each further failure locks twice as long
    const key = "login:target|127.0.0.1";
    sqlite(stack.dbPath, `UPDATE login_throttle SET locked_until = 0 WHERE key = '${key}'`);
    const again = await c.post('/login', { login: 'target', password: 'wrong-again-pw', csrf });
    assert.equal(again.status, 429);
    assert.equal(Number(again.headers.get('retry-after')), 60, 'the lock doubles (30 s, then 60 s)');
    // once the lock is over (simulated), the right password works and clears the count
    sqlite(stack.dbPath, `UPDATE login_throttle SET locked_until = 0 WHERE key = '${key}'`);
    assert.equal((await c.post('/login', { login: 'target', password: 'target-password', csrf })).status, 303);
    assert.equal(sqlite(stack.dbPath, `SELECT count(*) FROM login_throttle WHERE key = '${key}'`), '0');
  });
});

describe('login throttling per client address', () => {
  let own;
  before(async () => { own = await startStack({ workers: 1 }); });
  after(async () => { await own?.stop(); });

  test('many failures across accounts from one address: 429 for everyone there', async () => {
    const c = new Client(own.base);
    const csrf = await c.csrfFrom('/login');
    let last;
    for (let i = 0; i < 20; i++)
      last = await c.post('/login', { login: `guess${i}`, password: 'guessed-pw', csrf });
    assert.equal(last.status, 429);
    assert.ok(Number(last.headers.get('retry-after')) > 0);
    const res = await c.post('/login', { ...DEMO, csrf });
    assert.equal(res.status, 429, 'even the right password waits');
    assert.equal(sqlite(own.dbPath, "SELECT count(*) FROM login_throttle WHERE key = 'addr:127.0.0.1' AND locked_until > unixepoch()"), '1');
  });
});

describe('behind TLS (site.behind_tls = 1)', () => {
  let tls;
  before(async () => { tls = await startStack({ workers: 1, conf: { 'site.behind_tls': 1, 'auth.session_hours': 2 } }); });
  after(async () => { await tls?.stop(); });

  test('the session cookie is Secure and lives auth.session_hours', async () => {
    const c = new Client(tls.base);
    const csrf = await c.csrfFrom('/login');
    const res = await c.post('/login', { ...DEMO, csrf });
    assert.equal(res.status, 303);
    const cookie = setCookies(res).find((s) => s.startsWith('__Host-sid='));
    assert.ok(cookie, 'over TLS the cookie is __Host-sid: no subdomain or plain-HTTP page can plant one');
    assert.match(cookie, /; Path=\/; HttpOnly; SameSite=Lax; Max-Age=7200; Secure$/);
    assert.doesNotMatch(cookie, /Domain=/i);
    assert.ok(setCookies(await c.get('/')).every((l) => l.startsWith('__Host-')), 'every cookie of ours');
    const left = Number(sqlite(tls.dbPath, 'SELECT max(expires) - unixepoch() FROM sessions'));
    assert.ok(left > 7100 && left <= 7200, `session expires in ${left}s`);
  });

  test('a plain-named copy planted by a subdomain counts for nothing; two of ours are refused', async () => {
    const c = new Client(tls.base);
    const csrf = await c.csrfFrom('/login');
    assert.ok(c.cookies.has('__Host-csrf'));
    const mine = c.cookies.get('__Host-csrf');
    c.cookies.set('csrf', mine);   // what a sibling subdomain could set
    c.cookies.delete('__Host-csrf');
    assert.equal((await c.post('/login', { ...DEMO, csrf })).status, 403);
    const res = await fetch(`${tls.base}/`, { headers: { cookie: `__Host-csrf=${mine}; __Host-csrf=${mine}` } });
    assert.equal(res.status, 400);
    assert.ok(setCookies(res).some((l) => l.startsWith('__Host-csrf=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure')));
  });
});
