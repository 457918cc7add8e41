// The shipped TLS samples (conf/nginx/blhelpdesk-tls.conf and
// conf/apache/blhelpdesk-tls.conf), run as they are with only paths and
// ports replaced, with a self-signed certificate made by openssl: HTTP
// redirects to HTTPS, HSTS on every answer, the portal's cookies are Secure,
// bodies above the portal's limit stop at the web server, and nginx limits
// bursts per client address.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import https from 'node:https';
import { startStack, freePort, sleep, ROOT } from '../lib/stack.mjs';
import { startApache } from '../lib/apache.mjs';

let stack, cert, key, ca;
const servers = [];

// One HTTPS request; the self-signed certificate is the only CA trusted.
function get(port, path, { method = 'GET', body, headers = {} } = {}) {
  if (body) headers = { ...headers, 'content-length': Buffer.byteLength(body) };
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path, method, ca, servername: 'localhost', headers },
      (res) => {
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

async function waitUp(port, proc, what) {
  for (let i = 0; i < 100; i++) {
    try { if ((await get(port, '/healthz')).status === 200) return; } catch { /* not yet */ }
    if (proc.exitCode !== null) break;
    await sleep(100);
  }
  throw new Error(`${what} did not come up`);
}

function site(file) {
  return readFileSync(join(ROOT, file), 'utf8')
    .replaceAll('/usr/local/share/blhelpdesk/static', join(stack.dir, 'static'))
    .replaceAll('/run/blhelpdesk/portal.sock', stack.sock)
    .replaceAll('/etc/ssl/certs/blhelpdesk.pem', cert)
    .replaceAll('/etc/ssl/private/blhelpdesk.key', key);
}

before(async () => {
  stack = await startStack({ workers: 2 });
  cert = join(stack.dir, 'cert.pem');
  key = join(stack.dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', key, '-out', cert], { stdio: 'ignore' });
  ca = readFileSync(cert);
});

after(async () => {
  for (const p of servers) {
    if (p.exitCode === null) {
      p.kill('SIGTERM');
      await new Promise((r) => { p.once('exit', r); setTimeout(r, 3000); });
    }
  }
  await stack?.stop();
});

async function startTlsNginx() {
  const [httpPort, tlsPort] = [await freePort(), await freePort()];
  const dir = join(stack.dir, 'nginx-tls');
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  if (process.getuid() === 0) execFileSync('chown', ['-R', 'www-data', join(dir, 'tmp')]);
  const body = site('conf/nginx/blhelpdesk-tls.conf')
    .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
    .replace('listen 443 ssl http2;', `listen 127.0.0.1:${tlsPort} ssl http2;`)
    .replaceAll('include fastcgi_params;', 'include /etc/nginx/fastcgi_params;');
  writeFileSync(join(dir, 'nginx.conf'), `
${process.getuid() === 0 ? 'user www-data;' : ''}
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  proxy_temp_path ${dir}/tmp/proxy;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
${body}
}
`);
  const p = spawn('nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir, '-e', join(dir, 'error.log')], { stdio: 'ignore' });
  servers.push(p);
  await waitUp(tlsPort, p, 'nginx with TLS');
  return { httpPort, tlsPort };
}

async function startTlsApache() {
  const [httpPort, tlsPort] = [await freePort(), await freePort()];
  const dir = join(stack.dir, 'apache-tls');
  mkdirSync(dir, { recursive: true });
  const body = site('conf/apache/blhelpdesk-tls.conf')
    .replace('<VirtualHost *:80>', `<VirtualHost 127.0.0.1:${httpPort}>`)
    .replace('<VirtualHost *:443>', `<VirtualHost 127.0.0.1:${tlsPort}>`);
  const p = startApache({ dir, ports: [httpPort, tlsPort], site: body,
    modules: ['rewrite', 'socache_shmcb', 'ssl'] });
  p.stdout.resume();
  p.stderr.resume();
  servers.push(p);
  await waitUp(tlsPort, p, 'apache with TLS');
  return { httpPort, tlsPort };
}

for (const [name, start] of [['nginx', startTlsNginx], ['apache', startTlsApache]]) {
  test(`${name} TLS sample: redirect, HSTS, Secure cookies, body limit`, async () => {
    const { httpPort, tlsPort } = await start();
    const plain = await fetch(`http://127.0.0.1:${httpPort}/r/abc?x=1`, { redirect: 'manual' });
    assert.equal(plain.status, 301);
    assert.match(plain.headers.get('location'), /^https:\/\/127\.0\.0\.1(:\d+)?\/r\/abc\?x=1$/);

    const home = await get(tlsPort, '/');
    assert.equal(home.status, 200);
    assert.match(home.headers['strict-transport-security'], /max-age=31536000/);
    const cookies = home.headers['set-cookie'] || [];
    assert.ok(cookies.length > 0, 'the home page sets the csrf cookie');
    for (const c of cookies) assert.match(c, /;\s*Secure/i, `cookie is Secure: ${c}`);

    const css = await get(tlsPort, '/static/css/portal.css');
    assert.equal(css.status, 200);
    assert.match(css.headers['strict-transport-security'], /max-age=31536000/);

    const big = await get(tlsPort, '/check', { method: 'POST', body: 'bounce=' + 'x'.repeat(300 * 1024),
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(big.status, 413);
    assert.equal((await get(tlsPort, '/')).status, 200, 'the next request is served');
  });
}

test('nginx TLS sample limits bursts from one address (429), static files are not limited', async () => {
  const { tlsPort } = await startTlsNginx();
  const answers = await Promise.all(Array.from({ length: 60 }, () => get(tlsPort, '/healthz')));
  const limited = answers.filter((r) => r.status === 429).length;
  assert.ok(limited > 0, 'some of 60 requests at once are limited');
  assert.ok(answers.filter((r) => r.status === 200).length >= 20, 'the burst allowance passes');
  const statics = await Promise.all(Array.from({ length: 40 }, () => get(tlsPort, '/static/css/portal.css')));
  assert.ok(statics.every((r) => r.status === 200));
});
