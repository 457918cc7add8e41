// The mail server follows the switch: Debian's postmap (postfix-sqlite)
// queries the test database through the shipped conf/postfix/virtual_forwards.cf
// (only its dbpath changed), before and after a forward is turned off in
// the portal. Postfix itself need not run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync, copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, Client, sqlite, bin, tempDir, ROOT } from '../lib/stack.mjs';

const POSTMAP = '/usr/sbin/postmap';
const haveSqliteMaps = existsSync(POSTMAP) &&
  existsSync('/etc/postfix/dynamicmaps.cf') &&
  /^sqlite\b/m.test(readFileSync('/etc/postfix/dynamicmaps.cf', 'utf8'));

let stack, cf, confDir;
before(async () => {
  stack = await startStack({ workers: 1 });
  // a private Postfix configuration directory: postmap wants a main.cf
  confDir = tempDir('blhd-postfix-');
  writeFileSync(join(confDir, 'main.cf'), 'compatibility_level = 3.6\n');
  if (existsSync('/etc/postfix/dynamicmaps.cf'))
    copyFileSync('/etc/postfix/dynamicmaps.cf', join(confDir, 'dynamicmaps.cf'));
  const shipped = readFileSync(join(ROOT, 'conf/postfix/virtual_forwards.cf'), 'utf8');
  assert.match(shipped, /^dbpath = /m);
  assert.match(shipped, /^query = SELECT .* WHERE address='%s' AND active=1$/m);
  cf = cfFor(stack.dbPath, 'virtual_forwards.cf');
});

// The shipped lookup table with only its dbpath line changed.
function cfFor(dbFile, name) {
  const shipped = readFileSync(join(ROOT, 'conf/postfix/virtual_forwards.cf'), 'utf8');
  const path = join(confDir, name);
  writeFileSync(path, shipped.replace(/^dbpath = .*$/m, `dbpath = ${dbFile}`));
  return path;
}
after(async () => { await stack?.stop(); });

// postmap -q KEY sqlite:CF -> sorted destinations ([] when not found).
function lookup(key, table = cf) {
  const r = spawnSync(POSTMAP, ['-c', confDir, '-q', key, `sqlite:${table}`], { encoding: 'utf8' });
  if (r.status === 1 && r.stdout === '') return [];
  assert.equal(r.status, 0, `postmap failed: ${r.stderr}`);
  return r.stdout.trim().split(',').map((s) => s.trim()).sort();
}

async function loginDemo(on = stack) {
  const c = new Client(on.base);
  const csrf = await c.csrfFrom('/login');
  const res = await c.post('/login', { login: 'demo', password: 'demo-customer-pw', csrf });
  assert.equal(res.status, 303);
  return c;
}

async function turn(c, mailbox, destination, state, on = stack) {
  const id = sqlite(on.dbPath, `SELECT f.id FROM forwards f JOIN mailboxes m ON m.id = f.mailbox_id
    WHERE m.address = '${mailbox}' AND f.destination = '${destination}'`);
  const html = await (await c.get('/forwards')).text();
  const csrf = html.match(/name="csrf" value="([^"]+)"/)[1];
  const res = await c.post(`/forwards/${id}/toggle`, { csrf, state });
  assert.equal(res.status, 303);
}

test('postmap answers from the portal database; turning forwards off takes effect at once',
  { skip: !haveSqliteMaps && 'postfix-sqlite is not installed' }, async () => {
    // a mailbox that keeps a copy: its own address comes back too
    assert.deepEqual(lookup('info@demo-bakery.example'), ['info@demo-bakery.example', 'owner.bakery@aol.com']);
    assert.deepEqual(lookup('orders@demo-bakery.example'), ['accounts@bookkeeping.example', 'bakery.orders@comcast.net']);
    assert.deepEqual(lookup('INFO@Demo-Bakery.example'), ['info@demo-bakery.example', 'owner.bakery@aol.com'],
      'Postfix folds the key to lower case');
    assert.deepEqual(lookup('nobody@demo-bakery.example'), []);

    const c = await loginDemo();
    await turn(c, 'info@demo-bakery.example', 'owner.bakery@aol.com', 'off');
    assert.deepEqual(lookup('info@demo-bakery.example'), [],
      'every forward off: nothing, so Postfix delivers to the mailbox');
    await turn(c, 'orders@demo-bakery.example', 'bakery.orders@comcast.net', 'off');
    assert.deepEqual(lookup('orders@demo-bakery.example'), ['accounts@bookkeeping.example'],
      'the other forward stays');

    await turn(c, 'info@demo-bakery.example', 'owner.bakery@aol.com', 'on');
    assert.deepEqual(lookup('info@demo-bakery.example'), ['info@demo-bakery.example', 'owner.bakery@aol.com']);
    // the other customer's forwards are untouched by all this
    assert.deepEqual(lookup('shop@harbor-florist.example'), ['florist.owner@yahoo.com']);
  });

test('quotes in the key are harmless', { skip: !haveSqliteMaps && 'postfix-sqlite is not installed' }, async () => {
  // a real address with an apostrophe, imported through portalctl
  const dir = tempDir('blhd-import-');
  const map = join(dir, 'virtual');
  writeFileSync(map, "o'brien@demo-bakery.example  obrien.family@gmail.com\n");
  execFileSync(bin('tools/portalctl'), ['--conf', stack.confPath, 'forward', 'import', map]);
  assert.deepEqual(lookup("o'brien@demo-bakery.example"), ['obrien.family@gmail.com']);
  for (const key of ["x' OR '1'='1", "' OR active=0 --", "info@demo-bakery.example' --",
    "'; DROP TABLE forwards; --", '"info@demo-bakery.example"', "o''brien@demo-bakery.example"]) {
    assert.deepEqual(lookup(key), [], `key ${key}`);
  }
  assert.ok(Number(sqlite(stack.dbPath, 'SELECT count(*) FROM forwards')) > 0, 'the table is still there');
});

test('forward import is all or nothing and names the bad line', async () => {
  const dir = tempDir('blhd-import-');
  const map = join(dir, 'virtual');
  writeFileSync(map, [
    '# two good lines, then a bad one',
    'new1@demo-bakery.example  a@aol.com',
    'new2@demo-bakery.example  b@aol.com',
    'new3@not-hosted.example   c@aol.com',
  ].join('\n') + '\n');
  const before = sqlite(stack.dbPath, 'SELECT count(*) FROM mailboxes');
  const r = spawnSync(bin('tools/portalctl'), ['--conf', stack.confPath, 'forward', 'import', map], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /line 4: .*not-hosted\.example.*nothing was imported/);
  assert.equal(sqlite(stack.dbPath, 'SELECT count(*) FROM mailboxes'), before);
  const list = execFileSync(bin('tools/portalctl'), ['--conf', stack.confPath, 'forward', 'list'], { encoding: 'utf8' });
  assert.match(list, /^id\tcustomer\tmailbox\tdestination\tstate\trisky$/m);
  assert.match(list, /\tDemo Bakery Ltd\tinfo@demo-bakery\.example\towner\.bakery@aol\.com\ton\taol$/m);
  assert.doesNotMatch(list, /new1@/);
});

test('postfix.db_path: Postfix reads a file of its own with forwards only, updated in place',
  { skip: !haveSqliteMaps && 'postfix-sqlite is not installed' }, async () => {
    const pfDir = tempDir('blhd-pf-');
    const pfFile = join(pfDir, 'forwards.sqlite');
    const own = await startStack({ workers: 1, conf: { 'postfix.db_path': pfFile } });
    try {
      const table = cfFor(pfFile, 'own_forwards.cf');
      assert.deepEqual(lookup('info@demo-bakery.example', table),
        ['info@demo-bakery.example', 'owner.bakery@aol.com']);
      // nothing but forwards: no users, sessions or hashes, and no WAL
      assert.equal(sqlite(pfFile, ".tables"), 'postfix_virtual_forwards');
      assert.equal(sqlite(pfFile, 'PRAGMA journal_mode'), 'delete');
      assert.equal(statSync(pfFile).mode & 0o777 & ~0o640, 0, 'the file is 0640 or tighter');
      const c = await loginDemo(own);
      await turn(c, 'info@demo-bakery.example', 'owner.bakery@aol.com', 'off', own);
      assert.deepEqual(lookup('info@demo-bakery.example', table), [], 'the switch reaches Postfix at once');
      assert.deepEqual(lookup('orders@demo-bakery.example', table),
        ['accounts@bookkeeping.example', 'bakery.orders@comcast.net']);
      await turn(c, 'info@demo-bakery.example', 'owner.bakery@aol.com', 'on', own);
      assert.deepEqual(lookup('info@demo-bakery.example', table),
        ['info@demo-bakery.example', 'owner.bakery@aol.com']);
      // an import through portalctl lands there too
      const map = join(pfDir, 'virtual');
      writeFileSync(map, 'new.box@demo-bakery.example  new.box.owner@gmail.com\n');
      execFileSync(bin('tools/portalctl'), ['--conf', own.confPath, 'forward', 'import', map]);
      assert.deepEqual(lookup('new.box@demo-bakery.example', table), ['new.box.owner@gmail.com']);
    } finally {
      await own.stop();
    }
  });

test('the database and its WAL and shared-memory files are private (0640 or tighter)', async () => {
  // the stack has served requests, so the WAL and SHM files exist
  await fetch(`${stack.base}/healthz`);
  for (const f of [stack.dbPath, `${stack.dbPath}-wal`, `${stack.dbPath}-shm`]) {
    assert.ok(existsSync(f), `${f} exists`);
    assert.equal(statSync(f).mode & 0o777 & ~0o640, 0, `${f} is 0${(statSync(f).mode & 0o777).toString(8)}`);
  }
  const key = `${stack.dbPath}.csrf-key`;
  assert.equal(statSync(key).mode & 0o777, 0o600, 'the CSRF secret is for the workers only');
  assert.equal(statSync(key).size, 32);
});
