// End to end (issue 16): two real Postfix 3.7 instances on loopback. "out"
// is our outgoing server mail3; "provider" refuses it the way providers
// do: check_client_access answers 554 5.7.1 [RTR:BB] (AOL-style) and
// check_recipient_access 421 4.7.0 [TSS04] (Yahoo-style) for one domain.
// Real messages go in over SMTP on 127.0.0.1; both instances write their
// log with maillog_file (no syslog). portalctl maillog reads the real log
// lines, the real DSN arrives in the sender's maildir, and /deliveries
// shows the refusals through nginx. Loopback only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync, readdirSync, existsSync, chownSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startStack, Client, bin, freePort, sleep } from '../lib/stack.mjs';

const POSTFIX = '/usr/sbin/postfix';
const canRun = existsSync(POSTFIX) && process.getuid && process.getuid() === 0;
const HANG = { timeout: 90000 };   // a guard against hangs, not a timing assertion

let stack;
let dir;
const started = [];
const ports = {};

const SERVICES = `pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
smtp unix - - n - - smtp
relay unix - - n - - smtp
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
virtual unix - n n - - virtual
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
`;

// One Postfix instance under dir/name listening on 127.0.0.1:port.
function instance(name, port, extra) {
  const base = path.join(dir, name);
  for (const d of ['etc', 'queue', 'data']) mkdirSync(path.join(base, d), { recursive: true });
  const pf = execFileSync('id', ['-u', 'postfix'], { encoding: 'utf8' }).trim();
  const pg = execFileSync('id', ['-g', 'postfix'], { encoding: 'utf8' }).trim();
  chownSync(path.join(base, 'data'), +pf, +pg);
  writeFileSync(path.join(base, 'etc/master.cf'), `127.0.0.1:${port} inet n - n - - smtpd\n${SERVICES}`);
  writeFileSync(path.join(base, 'etc/main.cf'), [
    'compatibility_level = 3.6', 'mail_owner = postfix', 'setgid_group = postdrop',
    `queue_directory = ${base}/queue`, `data_directory = ${base}/data`,
    `maillog_file = ${base}/maillog`, `maillog_file_prefixes = ${dir}`,
    'inet_interfaces = 127.0.0.1', 'inet_protocols = ipv4', 'mynetworks = 127.0.0.0/8',
    'smtp_dns_support_level = disabled', 'mydestination =', 'alias_maps =', 'alias_database =',
    'local_recipient_maps =', 'biff = no', 'smtpd_relay_restrictions = permit_mynetworks, reject',
    ...extra(base, pf, pg), '',
  ].join('\n'));
  const r = spawnSync(POSTFIX, ['-c', path.join(base, 'etc'), 'start'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `postfix ${name} start: ${r.stderr}`);
  started.push(path.join(base, 'etc'));
  return base;
}

// A plain SMTP exchange with 127.0.0.1:port; resolves with the replies.
function smtp(port, from, rcpts, body) {
  const cmds = ['EHLO client.test', `MAIL FROM:<${from}>`, ...rcpts.map((r) => `RCPT TO:<${r}>`), 'DATA',
    `${body}\r\n.`, 'QUIT'];
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    const replies = [];
    let buf = '';
    s.setTimeout(20000, () => { s.destroy(); reject(new Error('smtp timeout')); });
    s.on('data', (d) => {
      buf += d;
      let m;
      while ((m = buf.match(/^(\d{3}) .*\r\n/m))) {
        const end = buf.indexOf(m[0]) + m[0].length;
        replies.push(buf.slice(0, end).trim());
        buf = buf.slice(end);
        const next = cmds.shift();
        if (next === undefined) { s.end(); return; }
        s.write(`${next}\r\n`);
      }
    });
    s.on('close', () => resolve(replies));
    s.on('error', reject);
  });
}

async function waitFor(fn, what) {
  for (let i = 0; i < 300; i++) {
    if (fn()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

before(async () => {
  if (!canRun) return;
  stack = await startStack({ conf: { 'site.outgoing_servers': 'mail3=127.0.0.1', 'site.outgoing_ips': '127.0.0.1' } });
  dir = path.join(stack.dir, 'postfix');
  mkdirSync(dir);
  ports.out = await freePort();
  ports.provider = await freePort();
  instance('provider', ports.provider, (base) => {
    writeFileSync(path.join(base, 'etc/clients'), '127.0.0.1 554 5.7.1 [RTR:BB] Connections will not be accepted from ' +
      '127.0.0.1, because the ip is in Spamhaus list; see https://postmaster.yahooinc.com/error-codes\n');
    writeFileSync(path.join(base, 'etc/rcpts'), 'yahoo.example 421 4.7.0 [TSS04] Messages from 127.0.0.1 temporarily ' +
      'deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes\n');
    return ['myhostname = mx.provider.test',
      `smtpd_recipient_restrictions = check_recipient_access texthash:${base}/etc/rcpts, check_client_access texthash:${base}/etc/clients`];
  });
  instance('out', ports.out, (base, pf, pg) => {
    mkdirSync(path.join(base, 'mail'));
    chownSync(path.join(base, 'mail'), +pf, +pg);
    writeFileSync(path.join(base, 'etc/vmailbox'), 'orders@demo-bakery.example orders/\n');
    return ['myhostname = mail3.test', `relayhost = [127.0.0.1]:${ports.provider}`,
      'virtual_mailbox_domains = demo-bakery.example', `virtual_mailbox_base = ${base}/mail`,
      `virtual_mailbox_maps = texthash:${base}/etc/vmailbox`, `virtual_uid_maps = static:${pf}`, `virtual_gid_maps = static:${pg}`];
  });
});

after(async () => {
  for (const etc of started) spawnSync(POSTFIX, ['-c', etc, 'stop']);
  await stack?.stop();
});

test('real refusals from a real Postfix reach the log reader, the DSN and /deliveries', { skip: !canRun && 'needs root and Debian postfix', ...HANG }, async () => {
  const replies = await smtp(ports.out, 'orders@demo-bakery.example', ['bob@aol.example', 'dan@yahoo.example'],
    'From: orders@demo-bakery.example\r\nTo: bob@aol.example, dan@yahoo.example\r\nSubject: order 17\r\n\r\nYour bread is ready.');
  assert.match(replies.at(-2), /^250 /, replies.join('\n'));
  const log = path.join(dir, 'out/maillog');
  const text = () => (existsSync(log) ? readFileSync(log, 'utf8') : '');
  await waitFor(() => /status=bounced/.test(text()) && /status=deferred/.test(text()), 'bounce and deferral in the log');
  // the real DSN in the sender's maildir
  const newDir = path.join(dir, 'out/mail/orders/new');
  await waitFor(() => existsSync(newDir) && readdirSync(newDir).length > 0, 'the DSN');
  const dsn = readFileSync(path.join(newDir, readdirSync(newDir)[0]), 'utf8');
  assert.match(dsn, /Diagnostic-Code: smtp; 554 5\.7\.1/);
  assert.match(dsn, /\[RTR:BB\]/);
  const analysed = JSON.parse(execFileSync(bin('tools/bounce-analyze'), ['-'], { input: dsn, encoding: 'utf8' }));
  assert.equal(analysed.provider, 'aol');
  assert.equal(analysed.provider_code, 'RTR:BB');

  const out = execFileSync(bin('tools/portalctl'), ['--conf', stack.confPath, 'maillog', log], { encoding: 'utf8' });
  assert.match(out, /0 malformed, 2 refused or deferred, 2 stored/, out);
  const again = execFileSync(bin('tools/portalctl'), ['--conf', stack.confPath, 'maillog', log], { encoding: 'utf8' });
  assert.match(again, /0 stored, 2 already stored/, again);

  const c = new Client(stack.base);
  const csrf = await c.csrfFrom('/login');
  assert.equal((await c.post('/login', { login: 'demo', password: 'demo-customer-pw', csrf })).status, 303);
  const html = await (await c.get('/deliveries')).text();
  assert.match(html, /AOL <span class="muted">\(1 message\)/);
  assert.match(html, /Yahoo <span class="muted">\(1 message\)/);
  assert.match(html, /server mail3 \(127\.0\.0\.1\)/);
  assert.match(html, /orders@demo-bakery\.example<\/span> → <span class="addr">bob@aol\.example/);
  assert.match(html, /\(code RTR:BB\)/);
  assert.match(html, /\(code TSS04\)/);
  const other = new Client(stack.base);
  const csrf2 = await other.csrfFrom('/login');
  await other.post('/login', { login: 'florist', password: 'demo-florist-pw', csrf: csrf2 });
  assert.doesNotMatch(await (await other.get('/deliveries')).text(), /bob@aol\.example/);
});
