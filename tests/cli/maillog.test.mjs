// portalctl maillog (issue 16) on the fixture logs of each format: refused
// and deferred deliveries stored with server, customer and verdict;
// reading the same lines twice stores them once; malformed lines counted;
// --follow picks up appended lines, a rotated file (new inode) and a
// truncated one, and stops cleanly on SIGTERM; portalctl purge drops
// deliveries past reports.retention_days.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, appendFileSync, renameSync, rmSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const OUT = process.env.OUT || '.';
const CTL = path.resolve(OUT, 'tools/portalctl');
const FIX = path.resolve('tests/fixtures/maillog');
const HANG = { timeout: 60000 };   // a guard against hangs, not a timing assertion

// Classic syslog lines are local time without a year: the fixtures are
// read in UTC, and the year is the one the reader picks for "Dec  3".
const ENV = { ...process.env, TZ: 'UTC' };
let tmp;
let conf;
let db;

before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'maillog-'));
  db = path.join(tmp, 'portal.sqlite');
  conf = path.join(tmp, 'portal.hdf');
  writeFileSync(conf, `db.path = ${db}\nsite.outgoing_servers = mail3=203.0.113.25, mail4=203.0.113.26\n` +
    'reports.retention_days = 30\n');
  ctl(['domain', 'add', 'example.com', '--customer', 'acme']);
  ctl(['domain', 'add', 'shop.example.org', '--customer', 'shopco']);
});

after(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

function ctl(args, input) {
  return execFileSync(CTL, ['--conf', conf, ...args], { input, encoding: 'utf8', env: ENV });
}

function fixture(file) {
  const now = new Date();
  let year = now.getUTCFullYear();
  if (Date.UTC(year, 11, 3) > now.getTime() + 2 * 86400e3) year--;
  const text = readFileSync(path.join(FIX, file), 'utf8').replaceAll('2026-12-03', `${year}-12-03`);
  const copy = path.join(tmp, file);
  writeFileSync(copy, text);
  return copy;
}

function sql(q) {
  return execFileSync('sqlite3', ['-separator', '|', db, q], { encoding: 'utf8' }).trim();
}

function summary(out) {
  const m = /maillog: (\d+) lines, (\d+) malformed, (\d+) refused or deferred, (\d+) stored, (\d+) already stored/.exec(out);
  assert.ok(m, out);
  return { lines: +m[1], malformed: +m[2], kept: +m[3], stored: +m[4], dup: +m[5] };
}

test('each format stores its refusals once, with server, customer and verdict', () => {
  const cases = [
    { file: 'postfix-syslog.log', args: [], want: { lines: 15, malformed: 3, kept: 3, stored: 3, dup: 0 } },
    { file: 'exim-main.log', args: ['--host', 'mail4'], want: { lines: 11, malformed: 1, kept: 3, stored: 3, dup: 0 } },
    // its mail3 line is the syslog file's first refusal: already stored
    { file: 'postfix-short-iso.log', args: [], want: { lines: 7, malformed: 1, kept: 2, stored: 1, dup: 1 } },
  ];
  for (const c of cases) {
    const file = fixture(c.file);
    assert.deepEqual(summary(ctl(['maillog', ...c.args, file])), c.want, c.file);
    const again = summary(ctl(['maillog', ...c.args, '-'], readFileSync(file)));
    assert.equal(again.stored, 0, `${c.file} read twice`);
    assert.equal(again.dup, c.want.kept, c.file);
  }
  assert.equal(sql('SELECT count(*) FROM deliveries'), '7');
  const aol = sql("SELECT server, server_ip, sender, c.name, status, dsn, provider, provider_code, verdict FROM deliveries d" +
    " JOIN customers c ON c.id = d.customer_id WHERE server = 'mail3' AND recipient = 'bob@aol.com'");
  assert.equal(aol, 'mail3|203.0.113.25|alice@example.com|acme|bounced|5.7.1|aol|RTR:BB|reputation');
  const yahoo = sql("SELECT status, provider, provider_code, c.name FROM deliveries d JOIN customers c ON c.id = d.customer_id" +
    " WHERE server = 'mail4' AND recipient = 'dan@yahoo.com'");
  assert.equal(yahoo, 'deferred|yahoo|TSS04|shopco');
  // a deferral without a remote reply (connection timed out) is not kept
  assert.equal(sql("SELECT count(*) FROM deliveries WHERE recipient = 'erin@example.net'"), '0');
  // the sender was never seen: stored, but nobody's
  assert.equal(sql("SELECT sender || '|' || ifnull(customer_id, 'none') FROM deliveries WHERE recipient = 'frank@outlook.com'"), '|none');
});

function waitFor(fn, what) {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const tick = () => {
      if (fn()) return resolve();
      if (Date.now() - start > 20000) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 100);
    };
    tick();
  });
}

function bounceLine(qid, rcpt, second) {
  return `Dec  3 10:00:${String(second).padStart(2, '0')} mail4 postfix/qmgr[9]: ${qid}: from=<ops@example.com>, size=1, nrcpt=1 (queue active)\n` +
    `Dec  3 10:00:${String(second).padStart(2, '0')} mail4 postfix/smtp[8]: ${qid}: to=<${rcpt}>, relay=mx.aol.example[192.0.2.9]:25, ` +
    'dsn=5.7.1, status=bounced (host mx.aol.example[192.0.2.9] said: 554 5.7.1 [RTR:BB] Connections will not be accepted ' +
    'from 203.0.113.26 (in reply to MAIL FROM command))\n';
}

test('--follow reads appended lines, survives rotation and truncation, stops on SIGTERM', HANG, async () => {
  const log = path.join(tmp, 'mail.log');
  writeFileSync(log, bounceLine('F00001', 'f1@aol.com', 1));
  const child = spawn(CTL, ['--conf', conf, 'maillog', '--follow', log], { env: ENV });
  let stdout = '';
  child.stdout.on('data', (d) => { stdout += d; });
  const count = () => +sql("SELECT count(*) FROM deliveries WHERE recipient LIKE 'f%@aol.com'");
  await waitFor(() => count() === 1, 'the first line');
  appendFileSync(log, bounceLine('F00002', 'f2@aol.com', 2));
  await waitFor(() => count() === 2, 'an appended line');
  renameSync(log, `${log}.1`);                       // logrotate: rename, then a new file
  appendFileSync(`${log}.1`, bounceLine('F00003', 'f3@aol.com', 3));   // the last words of the old one
  writeFileSync(log, bounceLine('F00004', 'f4@aol.com', 4));
  await waitFor(() => count() === 4, 'the rotated file');
  writeFileSync(log, '');                            // copytruncate
  appendFileSync(log, bounceLine('F00005', 'f5@aol.com', 5));
  await waitFor(() => count() === 5, 'the truncated file');
  const code = await new Promise((resolve) => { child.on('close', resolve); child.kill('SIGTERM'); });
  assert.equal(code, 0);
  assert.match(stdout, /maillog: \d+ lines, 0 malformed, 5 refused or deferred, 5 stored/);
  assert.equal(sql("SELECT count(DISTINCT customer_id) FROM deliveries WHERE recipient LIKE 'f%@aol.com'"), '1');
});

test('--follow - commits while the pipe is quiet and ends with it', HANG, async () => {
  const child = spawn(CTL, ['--conf', conf, 'maillog', '--follow', '-'], { env: ENV });
  let stdout = '';
  child.stdout.on('data', (d) => { stdout += d; });
  const count = () => +sql("SELECT count(*) FROM deliveries WHERE recipient LIKE 'p%@aol.com'");
  child.stdin.write(bounceLine('P00001', 'p1@aol.com', 11));
  await waitFor(() => count() === 1, 'a line from the pipe');
  child.stdin.write(bounceLine('P00002', 'p2@aol.com', 12).slice(0, 100));   // half a line: wait for the rest
  await new Promise((r) => setTimeout(r, 300));
  child.stdin.end(bounceLine('P00002', 'p2@aol.com', 12).slice(100));
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(code, 0);
  assert.equal(count(), 2);
  assert.match(stdout, /maillog: 4 lines, 0 malformed, 2 refused or deferred, 2 stored/);
});

test('an unreadable file is an error, a bad argument a usage error', () => {
  assert.throws(() => ctl(['maillog', path.join(tmp, 'missing.log')]), (e) => e.status === 1);
  assert.throws(() => ctl(['maillog', '--bogus']), (e) => e.status === 2);
});

test('portalctl purge drops deliveries older than reports.retention_days', () => {
  const before = +sql('SELECT count(*) FROM deliveries');
  sql("UPDATE deliveries SET at = unixepoch() WHERE recipient <> 'bob@aol.com'");
  sql("UPDATE deliveries SET at = unixepoch() - 31 * 86400 WHERE recipient = 'bob@aol.com'");
  const out = ctl(['purge']);
  assert.match(out, /deliveries: 2 removed/);
  assert.equal(+sql('SELECT count(*) FROM deliveries'), before - 2);
});
