// The own bounce corpus (tests/fixtures/bounces/own, see its SOURCES.md)
// through tools/bounce-analyze: every file is read and answered with one
// JSON line carrying the DESIGN §4 fields (exit 0), with and without the
// corpus's outgoing.hdf; and the corpus itself is well formed (every file
// labelled, every label valid). Accuracy is NOT asserted here: that is
// bench/bounce-accuracy's job, so no test is tuned to a target.
//   node --test tests/cli/bounce_corpus.test.mjs   (OUT=dir for another build)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const OUT = process.env.OUT || '.';
const TOOL = path.resolve(OUT, 'tools/bounce-analyze');
const DIR = path.resolve('tests/fixtures/bounces/own');
const CONF = path.join(DIR, 'outgoing.hdf');
const HANG = { timeout: 120000 };   // a guard against hangs, not a timing assertion

const FIELDS = ['blacklist', 'category', 'sending_ip', 'provider', 'provider_code', 'lists',
  'smtp_code', 'status', 'recipient', 'diagnostic', 'evidence'];
// DESIGN §4 categories; "unknown" may be added by the honest-uncertainty work (issue 12)
const CATEGORIES = ['blacklist', 'reputation', 'policy', 'content', 'auth', 'recipient',
  'mailbox', 'other', 'unknown'];
const LABEL_CATEGORIES = CATEGORIES;
const LANGS = ['en', 'de', 'fr', 'es', 'pt', 'it', 'nl', 'ru'];

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(TOOL, args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => {});
    child.stdin.end('');
  });
}

function readLabels() {
  const [head, ...lines] = readFileSync(path.join(DIR, 'labels.tsv'), 'utf8').replace(/\n+$/, '').split('\n');
  const cols = head.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])));
}

const files = readdirSync(DIR).filter((f) => /\.(eml|txt)$/.test(f)).sort();
const labels = readLabels();

// Documentation addresses only (RFC 5737, RFC 3849): the corpus names no real host.
function isDocAddress(ip) {
  if (net.isIPv6(ip))
    return ip.toLowerCase().startsWith('2001:db8:');
  return net.isIPv4(ip) && /^(192\.0\.2|198\.51\.100|203\.0\.113)\./.test(ip);
}

function checkShape(o, name) {
  assert.equal(o.error, undefined, `${name}: ${o.error}`);
  for (const f of FIELDS)
    assert.ok(Object.hasOwn(o, f), `${name}: field ${f}`);
  assert.equal(typeof o.blacklist, 'boolean', name);
  assert.ok(CATEGORIES.includes(o.category), `${name}: category ${o.category}`);
  assert.equal(typeof o.provider, 'string', name);
  assert.ok(o.sending_ip === null || net.isIP(o.sending_ip) !== 0, `${name}: sending_ip ${o.sending_ip}`);
  assert.ok(o.provider_code === null || typeof o.provider_code === 'string', name);
  assert.ok(Array.isArray(o.lists) && o.lists.every((l) => typeof l === 'string'), name);
  assert.ok(o.smtp_code === null || (Number.isInteger(o.smtp_code) && o.smtp_code >= 200 && o.smtp_code < 600), `${name}: smtp_code ${o.smtp_code}`);
  assert.ok(o.status === null || /^[245]\.\d{1,3}\.\d{1,3}$/.test(o.status), `${name}: status ${o.status}`);
  assert.ok(o.recipient === null || typeof o.recipient === 'string', name);
  assert.ok(o.diagnostic === null || typeof o.diagnostic === 'string', name);
  assert.ok(Array.isArray(o.evidence) && o.evidence.every((e) => typeof e === 'string'), name);
}

async function analyzeAll(extra) {
  const r = await run([...extra, ...files.map((f) => path.join(DIR, f))]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.endsWith('\n'), 'output ends with a newline');
  const out = r.stdout.slice(0, -1).split('\n');
  assert.equal(out.length, files.length, 'one line per file');
  out.forEach((l, i) => checkShape(JSON.parse(l), files[i]));
}

test('the corpus: every file labelled once, every label valid, documentation addresses only', () => {
  assert.ok(files.length >= 150, `${files.length} files`);
  assert.deepEqual(labels.map((r) => r.path).sort(), files, 'labels.tsv lists exactly the files');
  for (const r of labels) {
    assert.equal(r.set, 'own', r.path);
    assert.ok(LABEL_CATEGORIES.includes(r.category), `${r.path}: category ${r.category}`);
    assert.ok(['yes', 'no', 'unclear'].includes(r.blacklist_strict), `${r.path}: blacklist_strict`);
    assert.ok(LANGS.includes(r.lang), `${r.path}: lang ${r.lang}`);
    assert.ok(['text', 'received', 'conf', 'none'].includes(r.ip_source), `${r.path}: ip_source`);
    assert.equal(r.ip_source === 'none', r.client_ip === '', `${r.path}: ip_source vs client_ip`);
    assert.ok(r.source.length > 0, `${r.path}: source`);
    for (const ip of [r.client_ip, ...r.not_sender_ips.split(',')].filter((x) => x && x !== '3.2.1.1'))
      assert.ok(isDocAddress(ip), `${r.path}: ${ip} is not a documentation address`);
    assert.ok(!r.not_sender_ips.split(',').includes(r.client_ip) || r.client_ip === '', `${r.path}: sender listed as non-sender`);
  }
});

test('every own-corpus file in one run: exit 0, one JSON line each with the DESIGN §4 fields', HANG, async () => {
  await analyzeAll([]);
});

test('the same with --conf outgoing.hdf, when this build of the tool takes --conf', HANG, async (t) => {
  const probe = await run(['--conf', CONF, '--help']);
  if (probe.code !== 0 || !/--conf/.test(probe.stderr + probe.stdout)) {
    t.skip('tools/bounce-analyze has no --conf yet');
    return;
  }
  await analyzeAll(['--conf', CONF]);
});
