// tools/blcheck against a real DNS server: Debian's rbldnsd on a loopback
// port serving tests/fixtures/zones (see zones.conf there for what each
// zone does). Every query goes to 127.0.0.1; c-ares is pointed at it only
// through --server / dns.servers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync, copyFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startRbldnsd, defaultZoneDir } from '../lib/rbldnsd.mjs';

const OUT = process.env.OUT || '.';
const BLCHECK = path.resolve(OUT, 'tools/blcheck');
const HANG = { timeout: 60000 };   // a guard against hangs, not a timing assertion

let dns;
let tmp;

before(async () => {
  dns = await startRbldnsd();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'blcheck-test-'));
});

after(async () => {
  if (dns) await dns.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function run(args, { input = '', server = dns.server, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const full = server ? ['--server', server, ...args] : args;
    const child = spawn(BLCHECK, full, { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => {});   // blcheck may exit before reading stdin
    child.stdin.end(input);
  });
}

function lines(stdout) {
  return stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

function byZone(obj) {
  return Object.fromEntries(obj.results.map((r) => [r.zone, r]));
}

test('clean address: every list answers clean, exit 0, full JSON shape', HANG, async () => {
  const r = await run(['--allow-reserved', '--json', '192.0.2.1']);
  assert.equal(r.code, 0, r.stderr);
  const [obj] = lines(r.stdout);
  assert.equal(obj.ip, '192.0.2.1');
  assert.ok(obj.results.length >= 14, 'all default lists are queried');
  for (const res of obj.results) {
    for (const k of ['zone', 'status', 'codes', 'meaning', 'txt', 'ttl', 'ms', 'delist_url'])
      assert.ok(k in res, `result has ${k}`);
    assert.equal(res.status, 'clean', res.zone);
    assert.deepEqual(res.codes, []);
  }
  assert.equal(obj.results[0].zone, 'zen.spamhaus.org', 'catalogue order');
});

test('listed: codes decoded, TXT fetched, delist URL built, exit 1', HANG, async () => {
  const r = await run(['--allow-reserved', '--json', '--lists', 'bl.spamcop.net,zen.spamhaus.org', '192.0.2.2']);
  assert.equal(r.code, 1, r.stderr);
  const [obj] = lines(r.stdout);
  const z = byZone(obj);
  assert.deepEqual(obj.results.map((x) => x.zone), ['zen.spamhaus.org', 'bl.spamcop.net']);
  const zen = z['zen.spamhaus.org'];
  assert.equal(zen.status, 'listed');
  assert.deepEqual([...zen.codes].sort(), ['127.0.0.2', '127.0.0.4']);
  assert.match(zen.meaning, /SBL/);
  assert.match(zen.meaning, /XBL/);
  assert.match(zen.txt, /SBL0002/);
  assert.equal(zen.severity, 'high');
  assert.equal(zen.delist_url, 'https://check.spamhaus.org/results/?query=192.0.2.2');
  assert.ok(zen.ttl > 0 && zen.ttl <= 600, `ttl ${zen.ttl}`);
  assert.equal(z['bl.spamcop.net'].status, 'listed');
  assert.match(z['bl.spamcop.net'].txt, /spamcop\.net\/bl\.shtml\?192\.0\.2\.2/);
});

test('policy listing (PBL) is not a spam verdict; undocumented codes still listed', HANG, async () => {
  const r = await run(['--allow-reserved', '--json', '--lists', 'zen.spamhaus.org', '192.0.2.10', '192.0.2.99']);
  assert.equal(r.code, 1);
  const [pbl, odd] = lines(r.stdout).map((o) => o.results[0]);
  assert.equal(pbl.status, 'listed');
  assert.equal(pbl.policy, true);
  assert.equal(pbl.severity, 'policy');
  assert.match(pbl.meaning, /not a spam verdict/);
  assert.equal(odd.status, 'listed');
  assert.match(odd.meaning, /127\.0\.0\.99 not documented/);
});

test('refused: Spamhaus error codes and answers outside 127/8 are never "listed"', HANG, async () => {
  const r = await run(['--allow-reserved', '--json', '--lists', 'zen.spamhaus.org,pbl.spamhaus.org',
    '192.0.2.254', '192.0.2.253']);
  assert.equal(r.code, 2, 'could not check');
  const [a, b] = lines(r.stdout).map(byZone);
  assert.equal(a['zen.spamhaus.org'].status, 'refused');
  assert.deepEqual(a['zen.spamhaus.org'].codes, ['127.255.255.254']);
  assert.equal(a['pbl.spamhaus.org'].status, 'refused', 'ACL answering 127.255.255.254 to everyone');
  assert.equal(b['zen.spamhaus.org'].status, 'refused');
  assert.deepEqual(b['zen.spamhaus.org'].codes, ['10.0.0.1']);
});

test('error: a server that answers REFUSED', HANG, async () => {
  const r = await run(['--allow-reserved', '--json', '--lists', 'dnsbl-3.uceprotect.net', '192.0.2.2']);
  assert.equal(r.code, 2);
  const [obj] = lines(r.stdout);
  assert.equal(obj.results[0].status, 'error');
});

test('error: nothing listening on the server port', HANG, async () => {
  const sock = dgram.createSocket('udp4');
  await new Promise((res) => sock.bind(0, '127.0.0.1', res));
  const port = sock.address().port;
  await new Promise((res) => sock.close(res));
  const r = await run(['--allow-reserved', '--json', '--timeout', '1500', '--lists', 'bl.spamcop.net', '192.0.2.2'],
    { server: `127.0.0.1:${port}` });
  assert.equal(r.code, 2);
  const [obj] = lines(r.stdout);
  assert.ok(['error', 'timeout'].includes(obj.results[0].status), obj.results[0].status);
  assert.notEqual(obj.results[0].status, 'clean');
});

test('deadline: a list that never answers ends as timeout at the deadline', HANG, async () => {
  const r = await run(['--allow-reserved', '--json', '--timeout', '700', '--lists',
    'zen.spamhaus.org,xbl.spamhaus.org', '192.0.2.2']);
  assert.equal(r.code, 1, 'the answering list still reports its listing');
  const z = byZone(lines(r.stdout)[0]);
  assert.equal(z['xbl.spamhaus.org'].status, 'timeout');
  assert.equal(z['xbl.spamhaus.org'].ms, 700, 'reported at the deadline');
  assert.equal(z['zen.spamhaus.org'].status, 'listed');
});

test('health: lists that list the world, nothing, or NXDOMAIN everything are untrusted', HANG, async () => {
  const r = await run(['--allow-reserved', '--json', '--lists',
    'ips.backscatterer.org,sbl.spamhaus.org,dnsbl-2.uceprotect.net,bl.spamcop.net', '192.0.2.2', '192.0.2.1']);
  assert.equal(r.code, 1);
  const [listed, clean] = lines(r.stdout).map(byZone);
  assert.equal(listed['ips.backscatterer.org'].status, 'untrusted');
  assert.match(listed['ips.backscatterer.org'].meaning, /lists everything/);
  assert.equal(clean['ips.backscatterer.org'].status, 'untrusted', 'its "listed" is not believed');
  assert.equal(listed['sbl.spamhaus.org'].status, 'untrusted');
  assert.match(listed['sbl.spamhaus.org'].meaning, /lists nothing/);
  assert.equal(clean['sbl.spamhaus.org'].status, 'untrusted', 'its "clean" is not believed');
  assert.equal(clean['dnsbl-2.uceprotect.net'].status, 'untrusted');
  assert.equal(listed['bl.spamcop.net'].status, 'listed', 'healthy lists are unaffected');
  assert.equal(clean['bl.spamcop.net'].status, 'clean');
});

test('health quirks are catalogue data: test.codes and test.clean_listed', HANG, async () => {
  const cat = path.join(tmp, 'quirks.hdf');
  const entry = (key, zone, extra) => `  ${key} {\n    zone = ${zone}\n${extra.map((l) => `    ${l}\n`).join('')}` +
    '    codes {\n      c {\n        code = 127.0.0.2\n        severity = medium\n        meaning = listed\n      }\n    }\n  }\n';
  writeFileSync(cat, 'dnsbl {\n' +
    entry('zen', 'zen.spamhaus.org', ['test.codes = 127.0.0.4']) +
    entry('world', 'ips.backscatterer.org', ['test.clean_listed = 1']) +
    entry('odd', 'bl.spamcop.net', ['test.codes = 127.0.0.99']) + '}\n');
  const r = await run(['--json', '--allow-reserved', '--catalogue', cat,
    '--lists', 'zen.spamhaus.org,ips.backscatterer.org,bl.spamcop.net', '192.0.2.1']);
  const z = byZone(lines(r.stdout)[0]);
  assert.equal(z['zen.spamhaus.org'].status, 'clean', 'expected test code present');
  assert.equal(z['ips.backscatterer.org'].status, 'listed', '127.0.0.1 is a real listing on this list');
  assert.equal(z['bl.spamcop.net'].status, 'untrusted');
  assert.match(z['bl.spamcop.net'].meaning, /not one of its listing codes/);
});

test('health: --health runs the test points of every list', HANG, async () => {
  const r = await run(['--json', '--health', '--lists', 'zen.spamhaus.org,ips.backscatterer.org']);
  assert.equal(r.code, 2);
  const h = JSON.parse(r.stdout);
  const v4 = Object.fromEntries(h.filter((x) => x.family === 4).map((x) => [x.zone, x]));
  assert.equal(v4['zen.spamhaus.org'].status, 'ok');
  assert.equal(v4['ips.backscatterer.org'].status, 'untrusted');
  assert.ok(h.some((x) => x.zone === 'zen.spamhaus.org' && x.family === 6 && x.status === 'ok'));
});

test('IPv6: nibble queries to IPv6 lists only; ::ffff:a.b.c.d stays IPv6', HANG, async () => {
  const r = await run(['--allow-reserved', '--json', '2001:db8::2', '2001:db8::1', '::ffff:192.0.2.2']);
  assert.equal(r.code, 1, r.stderr);
  const [a, b, c] = lines(r.stdout);
  assert.deepEqual(a.results.map((x) => x.zone), ['zen.spamhaus.org', 'all.s5h.net', 'dnsbl.dronebl.org']);
  assert.match(a.note, /do not check IPv6/);
  assert.equal(byZone(a)['all.s5h.net'].status, 'listed', 's5h answers IPv6 (catalogue: ipv6 = 1)');
  assert.equal(byZone(a)['zen.spamhaus.org'].status, 'listed');
  assert.match(byZone(a)['zen.spamhaus.org'].txt, /IPv6 listed in SBL: 2001:db8::2/);
  assert.ok(b.results.every((x) => x.status === 'clean'));
  assert.equal(c.ip, '::ffff:192.0.2.2');
  assert.deepEqual(c.results.map((x) => x.zone), ['zen.spamhaus.org', 'all.s5h.net', 'dnsbl.dronebl.org']);
});

// A UDP socket that counts what it receives, as a --server that must stay silent.
async function silentServer() {
  const sock = dgram.createSocket('udp4');
  let packets = 0;
  sock.on('message', () => { packets++; });
  await new Promise((res) => sock.bind(0, '127.0.0.1', res));
  return { server: `127.0.0.1:${sock.address().port}`, count: () => packets, close: () => new Promise((res) => sock.close(res)) };
}

test('reserved addresses are not sent without --allow-reserved, and say why', HANG, async () => {
  const s = await silentServer();
  try {
    const r = await run(['--json', '192.0.2.1', '10.1.2.3', '127.0.0.1', '2001:db8::1', 'fe80::1'], { server: s.server });
    assert.equal(r.code, 2);
    const objs = lines(r.stdout);
    assert.equal(objs.length, 5);
    assert.equal(objs[0].note, 'documentation address: not sent to public lists');
    assert.match(objs[1].note, /private address/);
    assert.match(objs[2].note, /loopback/);
    assert.match(objs[4].note, /link-local/);
    for (const o of objs) assert.deepEqual(o.results, []);
    assert.equal(s.count(), 0, 'no DNS query was sent');
  } finally { await s.close(); }
});

test('bad input: clear errors, nothing sent, no crash', HANG, async () => {
  const s = await silentServer();
  try {
    const bad = ['1.2.3.04', '256.1.1.1', '1.2.3', 'example.com', '1.2.3.4.5', '::1::2', 'fe80::1%eth0',
      '01.2.3.4', '[2001:db8::1]', '\u00e9', 'x'.repeat(1000), '2001:db8:::1', '1.2.3.4/24'];
    const r = await run(['--json', '--allow-reserved'], { server: s.server, input: bad.join('\n') + '\n' });
    assert.equal(r.code, 2);
    const objs = lines(r.stdout);
    assert.equal(objs.length, bad.length, 'one answer per line');
    assert.ok(objs.every((o) => typeof o.error === 'string' && !('results' in o)));
    assert.match(objs[0].error, /leading zero/);
    assert.match(objs[1].error, /out of range/);
    assert.match(objs[6].error, /zone index/);
    assert.match(objs[10].error, /too long/);
    assert.equal(s.count(), 0, 'no query sent for invalid input');
    const r2 = await run(['--json', '1.2.3.04', 'bad', '300.0.0.1'], { server: s.server });
    assert.equal(r2.code, 2);
    assert.equal(lines(r2.stdout).length, 3);
    assert.equal(s.count(), 0);
  } finally { await s.close(); }
});

test('stdin: blank lines, comments and surrounding spaces are handled', HANG, async () => {
  const r = await run(['--json', '--allow-reserved', '--lists', 'bl.spamcop.net'],
    { input: '# addresses\n\n  192.0.2.1 \r\n\t203.0.113.7\n' });
  assert.equal(r.code, 1);
  assert.deepEqual(lines(r.stdout).map((o) => o.ip), ['192.0.2.1', '203.0.113.7']);
});

test('bad configuration: empty list set, unknown, dead and malformed lists, bad flags', HANG, async () => {
  let r = await run(['--json', '--lists', ',', '192.0.2.1']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /empty list set/);
  r = await run(['--json', '--lists', 'no.such.list', '192.0.2.1']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown list no\.such\.list/);
  r = await run(['--json', '--lists', 'dnsbl.sorbs.net', '192.0.2.1']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /dead list/);
  r = await run(['--json', '--lists', 'bad..zone', '192.0.2.1']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not a valid list zone name/);
  r = await run(['--json', '--timeout', '0', '192.0.2.1']);
  assert.equal(r.code, 2);
  r = await run(['--json', '--timeout', 'abc', '192.0.2.1']);
  assert.equal(r.code, 2);
  r = await run(['--json', '--server', 'not a server', '192.0.2.1'], { server: null });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /host:port/);
  r = await run(['--json'], { input: '' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no addresses/);
});

test('bad catalogue: a broken zone name is a clear error', HANG, async () => {
  const cat = path.join(tmp, 'broken.hdf');
  writeFileSync(cat, 'dnsbl {\n  ok {\n    zone = bl.spamcop.net\n  }\n  broken {\n    zone = bad..zone\n  }\n}\n');
  const r = await run(['--json', '--catalogue', cat, '192.0.2.1']);
  assert.equal(r.code, 2);
  assert.ok(r.stderr.includes(`${cat}: dnsbl.broken.zone: not a valid DNS name`), r.stderr);
  writeFileSync(cat, 'dnsbl {\n');
  const r2 = await run(['--json', '--catalogue', cat, '192.0.2.1']);
  assert.equal(r2.code, 2);
  const r3 = await run(['--json', '--catalogue', path.join(tmp, 'missing.hdf'), '192.0.2.1']);
  assert.equal(r3.code, 2);
  assert.match(r3.stderr, /cannot open/);
});

test('10,000 addresses on stdin: one answer each, in order', HANG, async () => {
  const ips = [];
  for (let i = 0; i < 10000; i++) ips.push(`${[192, 198, 203][i % 3]}.${[0, 51, 0][i % 3]}.${[2, 100, 113][i % 3]}.${i % 256}`);
  const r = await run(['--json', '--allow-reserved', '--lists', 'bl.spamcop.net'], { input: ips.join('\n') + '\n' });
  assert.equal(r.code, 1, r.stderr.slice(0, 500));
  const objs = lines(r.stdout);
  assert.equal(objs.length, 10000);
  assert.deepEqual(objs.map((o) => o.ip), ips);
  assert.ok(objs.some((o) => o.ip === '203.0.113.7' && o.results[0].status === 'listed'));
  assert.ok(objs.every((o) => ['listed', 'clean'].includes(o.results[0].status)));
});

test('cache: second check is served from SQLite until the TTL; --no-cache bypasses it', HANG, async () => {
  const db = path.join(tmp, 'cache.sqlite');
  const args = ['--allow-reserved', '--json', '--db', db, '--lists', 'zen.spamhaus.org,bl.spamcop.net', '192.0.2.2', '192.0.2.1'];
  const first = lines((await run(args)).stdout);
  assert.ok(first.every((o) => o.results.every((x) => x.cached === false)));
  const second = lines((await run(args)).stdout);
  assert.ok(second.every((o) => o.results.every((x) => x.cached === true && x.ms === 0)));
  const zen = byZone(second[0])['zen.spamhaus.org'];
  assert.equal(zen.status, 'listed');
  assert.deepEqual([...zen.codes].sort(), ['127.0.0.2', '127.0.0.4']);
  assert.match(zen.txt, /SBL0002/);
  assert.ok(zen.ttl > 0 && zen.ttl <= 600);
  assert.ok(byZone(second[1])['zen.spamhaus.org'].ttl <= 300, 'negative answers live for the SOA minimum');
  const third = lines((await run(['--no-cache', ...args])).stdout);
  assert.ok(third.every((o) => o.results.every((x) => x.cached === false)));
});

test('health is re-proven in every round trip: a stored failure does not outlive a repair', HANG, async () => {
  const db = path.join(tmp, 'health.sqlite');
  const lists = ['--lists', 'ips.backscatterer.org'];
  const r1 = lines((await run(['--allow-reserved', '--json', '--db', db, ...lists, '192.0.2.1'])).stdout);
  assert.equal(r1[0].results[0].status, 'untrusted');
  // A second server where ips.backscatterer.org is healthy: the test points
  // ride with the check, so the repair is seen at once (not after
  // dns.health_interval_seconds), with the same store.
  const dir = path.join(tmp, 'zones-fixed');
  mkdirSync(dir);
  for (const f of readdirSync(defaultZoneDir)) copyFileSync(path.join(defaultZoneDir, f), path.join(dir, f));
  copyFileSync(path.join(defaultZoneDir, 'bl.spamcop.net'), path.join(dir, 'ips.backscatterer.org'));
  const fixed = await startRbldnsd({ dir });
  try {
    const r2 = lines((await run(['--allow-reserved', '--json', '--db', db, ...lists, '192.0.2.1'], { server: fixed.server })).stdout);
    assert.equal(r2[0].results[0].status, 'clean', 're-proven in the same round trip');
    const r3 = lines((await run(['--allow-reserved', '--json', ...lists, '192.0.2.1'], { server: fixed.server })).stdout);
    assert.equal(r3[0].results[0].status, 'clean', 'fresh self-test passes');
  } finally { await fixed.stop(); }
});

test('Spamhaus DQS: key used in the query name, never printed', HANG, async () => {
  const key = 'testkey1234567890';
  const conf = path.join(tmp, 'dqs.hdf');
  writeFileSync(conf, [
    `db.path = ${path.join(tmp, 'dqs.sqlite')}`,
    `dns.servers = ${dns.server}`,
    'dns.lists = zen.spamhaus.org',
    'dns.allow_reserved = 1',
    `dns.dqs_key = ${key}`,
    '',
  ].join('\n'));
  for (const json of [['--json'], []]) {
    const r = await run(['--conf', conf, ...json, '192.0.2.2'], { server: null });
    assert.equal(r.code, 1, r.stderr);
    assert.ok(!r.stdout.includes(key), 'key not in stdout');
    assert.ok(!r.stderr.includes(key), 'key not in stderr');
    if (json.length) {
      const zen = lines(r.stdout)[0].results[0];
      assert.equal(zen.zone, 'zen.spamhaus.org');
      assert.equal(zen.status, 'listed');
      assert.match(zen.txt, /DQS listed 192\.0\.2\.2/, 'answer came from the DQS zone');
      assert.match(zen.txt, /\[key\]/, 'key scrubbed from TXT');
    }
  }
});

test('human table without --json', HANG, async () => {
  const r = await run(['--allow-reserved', '--lists', 'zen.spamhaus.org', '192.0.2.2']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^192\.0\.2\.2$/m);
  assert.match(r.stdout, /zen\.spamhaus\.org\s+listed\s+127\.0\.0\.2,127\.0\.0\.4/);
  assert.match(r.stdout, /delist: https:\/\/check\.spamhaus\.org/);
});

test('TXT from the list is sanitised to printable ASCII', HANG, async () => {
  const r = await run(['--allow-reserved', '--json', '--lists', 'zen.spamhaus.org', '192.0.2.50']);
  const zen = lines(r.stdout)[0].results[0];
  assert.equal(zen.status, 'listed');
  assert.match(zen.txt, /^[\x20-\x7e]*$/);
});
