// The foundation through real nginx + portal.fcgi: pages, headers, limits,
// hostile requests, and that a worker survives each of them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startStack, rawRequest, Client, ROOT, csrfTokenFits } from '../lib/stack.mjs';

let stack;
before(async () => { stack = await startStack({ workers: 1 }); });
after(async () => { await stack?.stop(); });

const get = (path, opts) => fetch(stack.base + path, { redirect: 'manual', ...opts });

function assertSecurityHeaders(res) {
  const csp = res.headers.get('content-security-policy');
  assert.ok(csp, 'CSP header');
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('referrer-policy'), 'same-origin', 'report links never leave the site; our forms keep their Origin');
}

test('home page has the check form with labels and a csrf field', async () => {
  const res = await get('/');
  assert.equal(res.status, 200);
  assertSecurityHeaders(res);
  assert.match(res.headers.get('content-type'), /text\/html; charset=utf-8/);
  const html = await res.text();
  assert.match(html, /<form method="post" action="\/check"/);
  assert.match(html, /<label for="bounce">/);
  assert.match(html, /<textarea id="bounce" name="bounce"/);
  assert.match(html, /<label for="ip">/);
  assert.match(html, /<input id="ip" name="ip"/);
  assert.match(html, /name="csrf" value="\d{10}-[A-Za-z0-9_-]{43}"/);
  assert.match(html, /Test Hosting/, 'company name from configuration');
  assert.match(html, /72 hours/);
  assert.doesNotMatch(html, /<script>/, 'no inline script');
});

test('static files come from nginx, not the FastCGI program', async () => {
  const res = await get('/static/css/portal.css');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/css/);
  assert.equal(res.headers.get('set-cookie'), null);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(await res.text(), readFileSync(`${ROOT}/static/css/portal.css`, 'utf8'));
  assert.equal((await get('/static/nope.css')).status, 404);
});

test('healthz answers JSON with database and version', async () => {
  const res = await get('/healthz');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /application\/json/);
  const doc = await res.json();
  assert.equal(doc.status, 'ok');
  assert.equal(doc.database, true);
  assert.ok(doc.schema_version >= 1);
  assert.equal(typeof doc.version, 'string');
});

test('unknown path: 404 page with a reference id, path not echoed', async () => {
  const res = await get('/no-such-page-xyzzy');
  assert.equal(res.status, 404);
  assertSecurityHeaders(res);
  const html = await res.text();
  assert.match(html, /Reference: <code>[0-9a-f]{16}<\/code>/);
  assert.doesNotMatch(html, /xyzzy/);
});

test('wrong method: 405 with Allow', async () => {
  const res = await get('/healthz', { method: 'DELETE' });
  assert.equal(res.status, 405);
  assert.ok(res.headers.get('allow'));
  const put = await get('/', { method: 'PUT', body: 'x' });
  assert.equal(put.status, 405);
});

test('body over the limit: 413 without reading it, and the worker serves the next request', async () => {
  const big = 'bounce=' + 'A'.repeat(1024 * 1024);
  const res = await get('/check', {
    method: 'POST', body: big, headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(res.status, 413);
  assert.match(await res.text(), /larger than we accept/);
  // one worker: the next request is served by the same process
  const next = await get('/');
  assert.equal(next.status, 200);
});

test('a front-line refusal keeps the visitor\'s csrf cookie', async () => {
  const c = new Client(stack.base);
  const csrf = await c.csrfFrom('/');
  const res = await c.post('/check', { csrf, bounce: 'A'.repeat(300 * 1024) });
  assert.equal(res.status, 413);
  assert.equal(res.headers.get('set-cookie'), null, 'no cookie replaced');
  // the form the visitor still has open keeps working
  assert.equal((await c.post('/check', { csrf, ip: '192.0.2.1' })).status, 303);
});

test('a claimed length above the limit is refused before any body arrives', async () => {
  const r = await rawRequest(stack.port,
    'POST /check HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
    'Content-Length: 300000\r\nConnection: close\r\n\r\nbounce=abc', 3000);
  // nginx waits for the announced body; it either times out (408/0) or the
  // portal answers 413 once nginx passes it on. Never a crash or a 5xx.
  assert.ok(r.status === 0 || r.status === 408 || r.status === 413 || r.status === 400, `status ${r.status}`);
  assert.equal((await get('/')).status, 200);
});

test('hostile requests get a clear 4xx and echo nothing', async () => {
  const cases = [
    ['GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1', [400, 404]],
    ['GET /r/..%2F..%2Fetc%2Fpasswd HTTP/1.1', [400]],
    ['GET /a%2fb HTTP/1.1', [400]],
    ['GET /<script>alert(1)</script> HTTP/1.1', [400]],
    ['GET /?ip=%00 HTTP/1.1', [400]],
    ['GET /./healthz HTTP/1.1', [200, 400]],
  ];
  for (const [line, allowed] of cases) {
    const r = await rawRequest(stack.port, `${line}\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.ok(allowed.includes(r.status), `${line} -> ${r.status}`);
    assert.doesNotMatch(r.body, /passwd|<script>alert/, `${line} echoed input`);
  }
  assert.equal((await get('/')).status, 200);
});

test('a 64 KiB header is refused and the next request works', async () => {
  const r = await rawRequest(stack.port,
    `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\nConnection: close\r\n\r\n`);
  assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}`);
  const cookie = await get('/', { headers: { cookie: 'a=' + 'b'.repeat(6000) } });
  assert.ok(cookie.status === 400 || cookie.status === 200, `cookie status ${cookie.status}`);
  assert.equal((await get('/')).status, 200);
});

test('malformed, non-UTF-8 and NUL bodies: clear 4xx, worker survives', async () => {
  const bodies = [
    ['bounce=%zz%&&=&ip=%', 'application/x-www-form-urlencoded'],
    ['bounce=%ff%fe%fd', 'application/x-www-form-urlencoded'],
    ['bounce=a%00b', 'application/x-www-form-urlencoded'],
    ['bounce=a\u0000b', 'application/x-www-form-urlencoded'],
    ['--x\r\nContent-Disposition: form-data; name="bounce"\r\n\r\nhi\r\n--x--', 'multipart/form-data; boundary=x'],
  ];
  for (const [body, type] of bodies) {
    const res = await get('/check', { method: 'POST', body, headers: { 'content-type': type } });
    assert.ok(res.status >= 400 && res.status < 500, `${JSON.stringify(body)} -> ${res.status}`);
    assert.doesNotMatch(await res.text(), /%zz|\uFFFD/);
  }
  assert.equal((await get('/')).status, 200);
});

test('a form with very many parameters is refused before the CGI kit parses it', async () => {
  // the kit walks every earlier value of a repeated name for each new one:
  // 85000 "a=" pairs cost ~14 s of one worker before any check could run
  const t0 = Date.now();
  const res = await get('/login', {
    method: 'POST', body: 'a=&'.repeat(85000), headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(res.status, 400);
  assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
  const q = await get('/admin/submissions?' + 'page=1&'.repeat(300));
  assert.equal(q.status, 400);
  // an ordinary form is untouched
  const c = new Client(stack.base);
  const csrf = await c.csrfFrom('/login');
  const login = await c.post('/login', { csrf, login: 'demo', password: 'demo-customer-pw' });
  assert.equal(login.status, 303);
});

test('HEAD answers headers only', async () => {
  const res = await get('/', { method: 'HEAD' });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), '');
});

test('anonymous visitors get a csrf cookie matching the form token', async () => {
  const c = new Client(stack.base);
  const token = await c.csrfFrom('/');
  const cookie = c.cookies.get('csrf');
  assert.match(cookie, /^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/, 'a signed visitor id');
  assert.ok(csrfTokenFits(stack.dbPath, cookie, token), 'the form token is signed for the cookie');
  const again = await c.csrfFrom('/');
  assert.equal(c.cookies.get('csrf'), cookie, 'the cookie is stable for a visitor');
  assert.ok(csrfTokenFits(stack.dbPath, cookie, again));
});

test('a request with very many headers is still served', async () => {
  const headers = Array.from({ length: 150 }, (_, i) => `X-H${i}: ${i}`).join('\r\n');
  const r = await rawRequest(stack.port, `GET /healthz HTTP/1.1\r\nHost: x\r\n${headers}\r\nConnection: close\r\n\r\n`);
  assert.equal(r.status, 200);
  assert.match(r.body, /"database":true/);
});

test('a form body the CGI kit would not parse is refused (415), not read as empty', async () => {
  for (const type of ['Application/X-WWW-Form-Urlencoded', 'application/x-www-form-urlencodedX', 'text/plain']) {
    const res = await get('/check', { method: 'POST', body: 'ip=192.0.2.1', headers: { 'content-type': type } });
    assert.equal(res.status, 415, type);
  }
  const ok = await get('/check', { method: 'POST', body: 'ip=192.0.2.1',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' } });
  assert.equal(ok.status, 403, 'parsed (and then refused for its missing csrf token)');
});
