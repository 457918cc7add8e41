// tools/bounce-analyze as people script it (../shared/DESIGN.md §4): one
// JSON object per input, one per line, over the fixtures in
// tests/fixtures/bounces; exit 2 on unreadable input; "-" (or no
// argument) reads stdin. Run from the repository root:
//   node --test tests/cli/bounce_analyze.test.mjs   (OUT=dir for another build)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const OUT = process.env.OUT || '.';
const TOOL = path.resolve(OUT, 'tools/bounce-analyze');
const FIX = path.resolve('tests/fixtures/bounces');
const HANG = { timeout: 60000 };   // a guard against hangs, not a timing assertion

const FIELDS = ['blacklist', 'category', 'sending_ip', 'provider', 'provider_code', 'lists',
  'smtp_code', 'status', 'recipient', 'diagnostic', 'evidence'];
const CATEGORIES = ['blacklist', 'reputation', 'policy', 'content', 'auth', 'recipient',
  'mailbox', 'other'];
const PROVIDERS = ['aol', 'comcast', 'microsoft', 'yahoo', 'gmail', 'att', 'cox', 'apple',
  'proofpoint', 'barracuda', 'trendmicro', 'cloudmark', 'mimecast', 'other'];

function run(args, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(TOOL, args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => {});   // the tool may not read stdin
    child.stdin.end(input ?? '');
  });
}

function lines(stdout) {
  assert.ok(stdout.endsWith('\n'), 'output ends with a newline');
  return stdout.slice(0, -1).split('\n').map((l) => JSON.parse(l));
}

// files only: own/ holds the own corpus (tests/cli/bounce_corpus.test.mjs)
const fixtures = readdirSync(FIX, { withFileTypes: true })
  .filter((d) => d.isFile() && !d.name.startsWith('.') && d.name !== 'README').map((d) => d.name).sort();

function checkShape(o, name) {
  for (const f of FIELDS)
    assert.ok(Object.hasOwn(o, f), `${name}: field ${f}`);
  assert.equal(typeof o.blacklist, 'boolean', name);
  assert.ok(CATEGORIES.includes(o.category), `${name}: category ${o.category}`);
  assert.ok(PROVIDERS.includes(o.provider), `${name}: provider ${o.provider}`);
  assert.ok(o.sending_ip === null || typeof o.sending_ip === 'string', name);
  assert.ok(o.provider_code === null || typeof o.provider_code === 'string', name);
  assert.ok(Array.isArray(o.lists) && o.lists.every((l) => typeof l === 'string'), name);
  assert.ok(o.smtp_code === null || (Number.isInteger(o.smtp_code) && o.smtp_code >= 200 && o.smtp_code < 600), name);
  assert.ok(o.status === null || /^[245]\.\d{1,3}\.\d{1,3}$/.test(o.status), `${name}: status ${o.status}`);
  assert.ok(o.recipient === null || typeof o.recipient === 'string', name);
  assert.ok(o.diagnostic === null || typeof o.diagnostic === 'string', name);
  assert.ok(Array.isArray(o.evidence) && o.evidence.every((e) => typeof e === 'string'), name);
  assert.equal(o.blacklist, o.category === 'blacklist' || o.category === 'reputation', name);
}

test('every fixture in one run: one line each, in order, the DESIGN §4 fields, exit 0', HANG, async () => {
  assert.ok(fixtures.length >= 100);
  const r = await run(fixtures.map((f) => path.join(FIX, f)));
  assert.equal(r.code, 0, r.stderr);
  const out = lines(r.stdout);
  assert.equal(out.length, fixtures.length);
  out.forEach((o, i) => checkShape(o, fixtures[i]));
  // the corpus of fixtures covers both verdicts
  assert.ok(out.some((o) => o.blacklist) && out.some((o) => !o.blacklist));
});

test('one process for many files says what one process per file says', HANG, async () => {
  const some = fixtures.filter((_, i) => i % 9 === 0);
  const batch = lines((await run(some.map((f) => path.join(FIX, f)))).stdout);
  for (const [i, f] of some.entries()) {
    const single = await run([path.join(FIX, f)]);
    assert.equal(single.code, 0);
    assert.deepEqual(lines(single.stdout)[0], batch[i], f);
  }
});

test('known verdicts: AOL RTR:BB, Cox IPBL bit flags with the sending IP', HANG, async () => {
  const r = await run([path.join(FIX, 'raw-aol.eml'), path.join(FIX, 'paste-cox-ipbl.txt')]);
  assert.equal(r.code, 0);
  const [aol, cox] = lines(r.stdout);
  assert.equal(aol.blacklist, true);
  assert.equal(aol.category, 'reputation');
  assert.equal(aol.provider, 'aol');
  assert.equal(aol.provider_code, 'RTR:BB');
  assert.equal(aol.smtp_code, 554);
  assert.notEqual(aol.sending_ip, '192.0.2.13', 'the receiving MX is never the sender');
  assert.equal(cox.provider, 'cox');
  assert.equal(cox.sending_ip, '198.51.100.51');
  assert.match(cox.provider_code, /^IPBL[01]{4}$/);
  assert.ok(cox.lists.length >= 1);
});

test('stdin: "-" and no argument read the same bounce as the file', HANG, async () => {
  const name = 'paste-spamhaus-zen.txt';
  const file = path.join(FIX, name);
  const body = readFileSync(file);
  const fromFile = lines((await run([file])).stdout)[0];
  const dash = await run(['-'], body);
  assert.equal(dash.code, 0, dash.stderr);
  assert.deepEqual(lines(dash.stdout)[0], fromFile);
  const none = await run([], body);
  assert.equal(none.code, 0, none.stderr);
  assert.deepEqual(lines(none.stdout)[0], fromFile);
});

test('unreadable input: exit 2, an error line for it, the other inputs still analysed', HANG, async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bounce-analyze-test-'));
  try {
    const missing = path.join(tmp, 'does-not-exist.eml');
    const good = path.join(FIX, 'raw-aol.eml');
    const r = await run([missing, good, tmp]);   // a directory cannot be read either
    assert.equal(r.code, 2);
    const [a, b, c] = lines(r.stdout);
    assert.equal(a.input, missing);
    assert.equal(typeof a.error, 'string');
    checkShape(b, 'raw-aol.eml');
    assert.equal(c.input, tmp);
    assert.equal(typeof c.error, 'string');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('input over --max-bytes is refused with exit 2; empty input is not an error', HANG, async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bounce-analyze-test-'));
  try {
    const big = path.join(tmp, 'big.txt');
    writeFileSync(big, 'x'.repeat(5000));
    const r = await run(['--max-bytes', '1000', big]);
    assert.equal(r.code, 2);
    const [o] = lines(r.stdout);
    assert.equal(o.input, big);
    assert.match(o.error, /too large/);
    const empty = await run(['-'], '');
    assert.equal(empty.code, 0, empty.stderr);
    const [e] = lines(empty.stdout);
    checkShape(e, 'empty');
    assert.equal(e.category, 'other');
    assert.equal(e.blacklist, false);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('--conf FILE: site.outgoing_servers names our server, so its address is reported', HANG, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ba-conf-'));
  try {
    const bounce = [
      'From: MAILER-DAEMON@mail7.host.example (Mail Delivery System)',
      'Subject: Undelivered Mail Returned to Sender', '',
      'This is the mail system at host mail7.host.example.', '',
      '<bob@far.example>: Host or domain name not found. Name service error for name=far.example', '',
    ].join('\n');
    const file = path.join(dir, 'b.eml');
    writeFileSync(file, bounce);
    const conf = path.join(dir, 'portal.hdf');
    writeFileSync(conf, 'site.outgoing_servers = mail7.host.example=198.51.100.7, mail8=198.51.100.8\n');
    const [without] = lines((await run([file])).stdout);
    assert.equal(without.sending_ip, null, 'without the map: unsure, no address');
    const r = await run(['--conf', conf, file]);
    assert.equal(r.code, 0, r.stderr);
    const [withMap] = lines(r.stdout);
    assert.equal(withMap.sending_ip, '198.51.100.7');
    assert.ok(withMap.evidence.some((e) => e.startsWith('ip:our_server:')), withMap.evidence.join('\n'));
    // a configuration the portal would refuse is refused here too
    writeFileSync(conf, 'site.outgoing_servers = mail7=not-an-ip\n');
    const bad = await run(['--conf', conf, file]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /site\.outgoing_servers/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
