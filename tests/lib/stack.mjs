// Starts the real stack for a test file: portal.fcgi workers on a unix
// socket behind nginx on a free loopback port, with a fresh database.
// Binaries come from $OUT (the ASan build uses OUT=build-asan).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, chmodSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import net from 'node:net';
import http from 'node:http';
import { createHmac } from 'node:crypto';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const OUT = resolve(ROOT, process.env.OUT || '.');
export const bin = (rel) => join(OUT, rel);

export async function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
    s.on('error', rej);
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check, what, ms = 10000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

// HDF text from a flat object: { 'dns.timeout_ms': 500 } -> "dns.timeout_ms = 500".
function hdf(values) {
  return Object.entries(values).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n';
}

export function tempDir(prefix = 'blhd-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);   // nginx workers (www-data) reach the socket through it
  return dir;
}

// A copy of static/ in DIR that the web server's user can read: a checkout
// under /root (0700 on a fresh Debian) is out of www-data's reach.
export function staticCopy(dir) {
  const to = join(dir, 'static');
  cpSync(join(ROOT, 'static'), to, { recursive: true });
  return to;
}

// Starts portal.fcgi + nginx. Options: conf (extra HDF keys), workers.
export async function startStack({ conf = {}, workers = 2 } = {}) {
  const dir = tempDir();
  const port = await freePort();
  const dbPath = join(dir, 'portal.sqlite');
  const confPath = join(dir, 'portal.hdf');
  writeFileSync(confPath, hdf({
    'db.path': dbPath,
    'paths.data': ROOT,
    'demo.seed': 1,
    'checks.per_minute': 0,
    'checks.global_per_minute': 0,
    'dns.allow_reserved': 1,
    'dns.timeout_ms': 1500,
    'site.company': 'Test Hosting',
    // checks finish inside the request, so a test can read the report right
    // after the redirect; tests/http/incident.test.mjs runs the check threads
    'checks.threads': 0,
    ...conf,
  }));
  const sock = join(dir, 'portal.sock');
  const procs = [];
  const logs = { portal: '', nginx: '' };

  const portal = spawn(bin('cgi-bin/portal.fcgi'),
    ['--conf', confPath, '--socket', sock, '--workers', String(workers), '--socket-mode', '0666'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  portal.stdout.on('data', (d) => { logs.portal += d; });
  portal.stderr.on('data', (d) => { logs.portal += d; });
  procs.push(portal);
  await waitFor(() => existsSync(sock) || portal.exitCode !== null, 'portal socket');
  if (portal.exitCode !== null) throw new Error(`portal.fcgi exited: ${logs.portal}`);

  mkdirSync(join(dir, 'tmp'), { recursive: true });
  if (process.getuid && process.getuid() === 0) {
    try { execFileSync('chown', ['-R', 'www-data', join(dir, 'tmp')]); } catch { /* no www-data */ }
  }
  const nginxConf = execFileSync(join(ROOT, 'scripts/nginx-conf.sh'),
    [dir, String(port), staticCopy(dir), sock]).toString();
  writeFileSync(join(dir, 'nginx.conf'), nginxConf);
  const nginx = spawn('nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir, '-e', join(dir, 'nginx-error.log')],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  nginx.stderr.on('data', (d) => { logs.nginx += d; });
  procs.push(nginx);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(async () => {
    try { return (await fetch(`${base}/healthz`)).ok; } catch { return false; }
  }, 'nginx + portal');

  return {
    base, port, dir, dbPath, confPath, sock, logs,
    portalLog: () => logs.portal,
    async stop() {
      for (const p of procs.reverse()) {
        if (p.exitCode === null) {
          p.kill('SIGTERM');
          await new Promise((r) => { p.once('exit', r); setTimeout(r, 3000); });
        }
      }
    },
  };
}

// One raw HTTP/1.1 exchange on a fresh connection (for requests fetch()
// refuses to send: bad paths, huge headers). Resolves with
// { status, headers, body } or { status: 0 } when the server hung up.
// The request is written without half-closing the socket: nginx takes a
// client's FIN as "client gone" (499) and would drop the answer.
export function rawRequest(port, text, timeoutMs = 5000) {
  return new Promise((res) => {
    const chunks = [];
    const sock = net.connect(port, '127.0.0.1', () => sock.write(text));
    sock.on('data', (d) => chunks.push(d));
    sock.setTimeout(timeoutMs, () => sock.destroy());
    sock.on('error', () => {});
    sock.on('close', () => {
      const raw = Buffer.concat(chunks).toString('latin1');
      const m = raw.match(/^HTTP\/1\.[01] (\d{3})/);
      const [head, ...rest] = raw.split('\r\n\r\n');
      res({ status: m ? Number(m[1]) : 0, headers: head || '', body: rest.join('\r\n\r\n') });
    });
  });
}

// Every Set-Cookie line of a fetch() response. Node 20 has
// Headers.getSetCookie(); Debian 12's Node 18 joins the lines with ", ",
// so split there, but only before a "name=" (an Expires date has commas).
export function setCookies(res) {
  if (typeof res.headers.getSetCookie === 'function') return res.headers.getSetCookie();
  const joined = res.headers.get('set-cookie');
  return joined ? joined.split(/,\s*(?=[!#$%&'*+.^_`|~0-9A-Za-z-]+=)/) : [];
}

// fetch() from another loopback source address (127.0.0.2 and so on: all
// of 127/8 is local), so the portal sees another client. Resolves with a
// fetch Response.
export function fetchFrom(localAddress, url, { method = 'GET', headers = {}, body } = {}) {
  const data = body === undefined ? undefined : Buffer.from(String(body));
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method, localAddress,
      headers: { ...headers, ...(data ? { 'content-length': data.length } : {}) },
    }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => {
        const h = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
        resolve(new Response(res.statusCode === 204 || res.statusCode === 304 ? null : Buffer.concat(chunks),
          { status: res.statusCode, headers: h }));
      });
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

// A tiny cookie jar over fetch: keeps Set-Cookie values between calls.
// With localAddress the requests come from that loopback address.
export class Client {
  constructor(base, { localAddress } = {}) { this.base = base; this.cookies = new Map(); this.localAddress = localAddress; }
  cookieHeader() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
  remember(res) {
    for (const c of setCookies(res)) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim(), value = pair.slice(i + 1).trim();
      if (/Max-Age=0|expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  async get(path, opts = {}) {
    const headers = { cookie: this.cookieHeader(), ...(opts.headers || {}) };
    const res = this.localAddress
      ? await fetchFrom(this.localAddress, this.base + path, { ...opts, headers })
      : await fetch(this.base + path, { redirect: 'manual', ...opts, headers });
    this.remember(res);
    return res;
  }
  async post(path, form, opts = {}) {
    const body = form instanceof URLSearchParams ? form : new URLSearchParams(form);
    return this.get(path, {
      method: 'POST', body,
      ...opts,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(opts.headers || {}) },
    });
  }
  // The csrf token of the first form on a page.
  async csrfFrom(path) {
    const html = await (await this.get(path)).text();
    const m = html.match(/name="csrf" value="([^"]+)"/);
    return m ? m[1] : null;
  }
}

// 1 when token is the anonymous form token the portal signs for the csrf
// cookie (docs/ARCHITECTURE.md, decision 5), checked with the stack's secret.
export function csrfTokenFits(dbPath, cookie, token) {
  const m = /^(\d+)-([A-Za-z0-9_-]{43})$/.exec(token || '');
  if (!m || !cookie) return false;
  const key = readFileSync(`${dbPath}.csrf-key`);
  return createHmac('sha256', key).update(`csrf:${m[1]}:${cookie}`).digest('base64url') === m[2];
}

export function sqlite(dbPath, sql) {
  return execFileSync('sqlite3', [dbPath, sql]).toString().trim();
}

export function readLog(path) {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}
