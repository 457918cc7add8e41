// The same FastCGI workers behind Debian's apache2 with mod_proxy_fcgi,
// using the shipped site file (conf/apache/blhelpdesk.conf) rewritten for a
// temporary port, socket and static dir.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, freePort, sleep, ROOT } from '../lib/stack.mjs';
import { startApache } from '../lib/apache.mjs';

let stack, apache, port, dir;

before(async () => {
  stack = await startStack({ workers: 1 });
  dir = stack.dir;
  port = await freePort();
  const site = readFileSync(join(ROOT, 'conf/apache/blhelpdesk.conf'), 'utf8')
    .replaceAll('/usr/local/share/blhelpdesk/static', join(dir, 'static'))
    .replaceAll('/run/blhelpdesk/portal.sock', stack.sock)
    .replace('<VirtualHost *:80>', `<VirtualHost 127.0.0.1:${port}>`);
  apache = startApache({ dir, ports: [port], site });
  let err = '';
  apache.stderr.on('data', (d) => { err += d; });
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return; } catch { /* not yet */ }
    if (apache.exitCode !== null) break;
    await sleep(100);
  }
  const log = existsSync(join(dir, 'apache-error.log')) ? readFileSync(join(dir, 'apache-error.log'), 'utf8') : '';
  throw new Error(`apache did not start: ${err}\n${log}`);
});

after(async () => {
  if (apache && apache.exitCode === null) {
    apache.kill('SIGTERM');
    await new Promise((r) => { apache.once('exit', r); setTimeout(r, 3000); });
  }
  await stack?.stop();
});

test('apache + mod_proxy_fcgi serves the home page from the same workers', async () => {
  const res = await fetch(`http://127.0.0.1:${port}/`);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<textarea id="bounce" name="bounce"/);
  assert.match(res.headers.get('content-security-policy'), /frame-ancestors 'none'/);
});

test('apache serves static files itself', async () => {
  const res = await fetch(`http://127.0.0.1:${port}/static/css/portal.css`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.match(await res.text(), /Blacklist Help Desk/);
});

test('apache: 404 from the portal, 413 above the portal body limit', async () => {
  assert.equal((await fetch(`http://127.0.0.1:${port}/nope`)).status, 404);
  const big = await fetch(`http://127.0.0.1:${port}/check`, {
    method: 'POST', body: 'bounce=' + 'x'.repeat(600 * 1024),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(big.status, 413);
  assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 200);
});
