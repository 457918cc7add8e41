// The production resolver of docs/dnsbl.md, proven: Debian's unbound runs
// conf/unbound/blhelpdesk.conf (the file the doc shows, byte for byte) on a
// loopback port in front of rbldnsd, and tools/blcheck checks through it.
// Only the mirror's port is changed (5353 -> rbldnsd's free port), and a
// small wrapper sets what a test run needs (port, no daemon, no chroot).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRbldnsd } from '../lib/rbldnsd.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const top = path.resolve(here, '../..');
const OUT = process.env.OUT || '.';
const BLCHECK = path.resolve(OUT, 'tools/blcheck');
const UNBOUND = process.env.UNBOUND || '/usr/sbin/unbound';
const CONF = path.join(top, 'conf/unbound/blhelpdesk.conf');
const HANG = { timeout: 90000 };

let dns;
let tmp;
let unbound;
let server;

function freeUdpPort() {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.bind(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function run(args, input = '') {
  return new Promise((resolve, reject) => {
    const child = spawn(BLCHECK, ['--server', server, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, objs: stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) }));
    child.stdin.end(input);
  });
}

before(async () => {
  dns = await startRbldnsd();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'unbound-test-'));
  const doc = readFileSync(CONF, 'utf8');
  writeFileSync(path.join(tmp, 'blhelpdesk.conf'), doc.replaceAll('127.0.0.1@5353', `127.0.0.1@${dns.port}`));
  for (let attempt = 0; attempt < 3 && !server; attempt++) {
    const port = await freeUdpPort();
    writeFileSync(path.join(tmp, 'unbound.conf'), [
      'server:',
      '\tinterface: 127.0.0.1',
      `\tport: ${port}`,
      '\tdo-daemonize: no', '\tusername: ""', '\tchroot: ""', `\tdirectory: "${tmp}"`,
      '\tpidfile: ""', '\tuse-syslog: no', '\tlogfile: ""', '\tnum-threads: 1', '\tdo-ip6: no',
      'remote-control:', '\tcontrol-enable: no',
      // test only: a list whose server REFUSES unbound, for the SERVFAIL case
      'forward-zone:', '\tname: "dnsbl-3.uceprotect.net"', `\tforward-addr: 127.0.0.1@${dns.port}`,
      `include: "${path.join(tmp, 'blhelpdesk.conf')}"`, '',
    ].join('\n'));
    unbound = spawn(UNBOUND, ['-d', '-c', path.join(tmp, 'unbound.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    unbound.stderr.on('data', (d) => { log += d; });
    for (let i = 0; i < 50 && !log.includes('start of service'); i++) await new Promise((r) => setTimeout(r, 100));
    if (log.includes('start of service')) server = `127.0.0.1:${port}`;
    else { unbound.kill('SIGKILL'); unbound = null; }
  }
  assert.ok(server, 'unbound started');
});

after(async () => {
  if (unbound) { unbound.kill('SIGTERM'); await new Promise((r) => unbound.once('exit', r)); }
  if (dns) await dns.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('docs/dnsbl.md shows exactly conf/unbound/blhelpdesk.conf', () => {
  const doc = readFileSync(path.join(top, 'docs/dnsbl.md'), 'utf8');
  assert.ok(doc.includes(`\`\`\`\n${readFileSync(CONF, 'utf8')}\`\`\``), 'the doc embeds the file verbatim');
  for (const key of ['qname-minimisation: no', 'unknown-server-time-limit: 1128', 'do-not-query-localhost: no'])
    assert.ok(readFileSync(CONF, 'utf8').includes(key), key);
});

test('through unbound: listed, clean and the self-test work for every default list', HANG, async () => {
  const r = await run(['--allow-reserved', '--json', '192.0.2.2', '192.0.2.1']);
  const [listed, clean] = r.objs;
  assert.equal(listed.results.length, 14);
  for (const x of clean.results) assert.equal(x.status, 'clean', `${x.zone}: ${x.meaning}`);
  const zen = listed.results.find((x) => x.zone === 'zen.spamhaus.org');
  assert.equal(zen.status, 'listed');
  assert.match(zen.txt, /SBL0002/, 'TXT asked with the A query');
  assert.ok(listed.results.every((x) => x.status !== 'untrusted'), 'test points pass through unbound');
});

test('through unbound: 20 addresses x every default list, no query lost', HANG, async () => {
  const ips = Array.from({ length: 20 }, (_, i) => `192.0.2.${[1, 2][i % 2]}`).map((ip, i) => (i < 2 ? ip : `198.51.100.${i}`));
  const r = await run(['--allow-reserved', '--json', '--no-cache', '--timeout', '5000'], ips.join('\n'));
  assert.equal(r.objs.length, 20);
  const statuses = r.objs.flatMap((o) => o.results.map((x) => x.status));
  assert.equal(statuses.length, 20 * 14);
  assert.deepEqual(statuses.filter((s) => s === 'timeout' || s === 'error'), [], 'every answer arrived');
});

test('through unbound: a list whose server fails is SERVFAIL, named for support, not re-sent', HANG, async () => {
  const r = await run(['--allow-reserved', '--json', '--timeout', '3000', '--lists', 'dnsbl-3.uceprotect.net', '192.0.2.2']);
  const x = r.objs[0].results[0];
  assert.equal(x.status, 'error');
  assert.match(x.meaning, /SERVFAIL: the resolver got no usable answer from the list's servers/);
  assert.ok(x.ms < 1000, `handed back at once, not re-sent per try (${x.ms} ms)`);
});
