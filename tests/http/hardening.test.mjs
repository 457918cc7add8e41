// Robustness of the process model (issue 15): a worker that keeps dying
// while serving is respawned with back-off and never takes the portal
// down; demo.seed outside make run warns loudly at every start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, tempDir, sleep, bin, ROOT } from '../lib/stack.mjs';

// The pids of the workers of the portal whose socket is sock.
function workerPids(sock) {
  return execFileSync('ps', ['-eo', 'pid,ppid,args']).toString().split('\n')
    .filter((l) => l.includes(sock))
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter(([, ppid], _, all) => all.some(([pid]) => pid === ppid))
    .map(([pid]) => pid);
}

test('workers that keep crashing are respawned with back-off; the portal never stops', async () => {
  const stack = await startStack({ workers: 2 });
  try {
    // Ten crashes in a row, each of a worker that just came back: the old
    // master gave up after five quick deaths and stopped everything.
    for (let i = 0; i < 10; i++) {
      let pids = [];
      for (let t = 0; t < 200 && pids.length < 2; t++) { pids = workerPids(stack.sock); await sleep(50); }
      assert.equal(pids.length, 2, `round ${i}: two workers`);
      process.kill(pids[0], 'SIGKILL');   // a crash, as the master sees it
      await sleep(30);
    }
    let ok = false;
    for (let t = 0; t < 200 && !ok; t++) {
      try { ok = (await fetch(`${stack.base}/healthz`)).ok; } catch { /* respawning */ }
      if (!ok) await sleep(50);
    }
    assert.ok(ok, 'the portal still answers');
    assert.match(stack.portalLog(), /starting another in \d+ ms/);
    assert.doesNotMatch(stack.portalLog(), /giving up/);
  } finally {
    await stack.stop();
  }
});

test('demo.seed = 1 outside make run warns at every start; --demo (make run) does not', () => {
  const dir = tempDir();
  const conf = join(dir, 'portal.hdf');
  writeFileSync(conf, `db.path = ${join(dir, 'p.sqlite')}\npaths.data = ${ROOT}\ndemo.seed = 1\n`);
  const plain = spawnSync(bin('cgi-bin/portal.fcgi'), ['--check', '--conf', conf], { encoding: 'utf8' });
  assert.equal(plain.status, 0);
  assert.match(plain.stderr, /WARNING: demo\.seed = 1 outside make run/);
  const demo = spawnSync(bin('cgi-bin/portal.fcgi'), ['--check', '--demo', '--conf', conf], { encoding: 'utf8' });
  assert.equal(demo.status, 0);
  assert.doesNotMatch(demo.stderr, /WARNING/);
  writeFileSync(conf, `db.path = ${join(dir, 'p.sqlite')}\npaths.data = ${ROOT}\ndemo.seed = 0\n`);
  const prod = spawnSync(bin('cgi-bin/portal.fcgi'), ['--check', '--conf', conf], { encoding: 'utf8' });
  assert.doesNotMatch(prod.stderr, /WARNING/);
});

test('every error under /api/ is JSON: unknown path, wrong method, oversized body', async () => {
  const stack = await startStack({ workers: 1 });
  try {
    for (const [path, init, status] of [
      ['/api/v1/nothing-here', {}, 404],
      ['/api/v1/reports/AAAA', {}, 404],
      ['/api/v1/check?ip=192.0.2.1', { method: 'DELETE' }, 405],
      ['/api/v1/check', { method: 'POST', body: 'x'.repeat(300 * 1024), headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 413],
    ]) {
      const res = await fetch(`${stack.base}${path}`, init);
      assert.equal(res.status, status, path);
      assert.match(res.headers.get('content-type'), /^application\/json/, path);
      const body = await res.json();
      assert.equal(typeof body.error, 'string', path);
    }
    // pages outside /api/ keep their HTML error page
    const page = await fetch(`${stack.base}/nothing-here`);
    assert.equal(page.status, 404);
    assert.match(page.headers.get('content-type'), /^text\/html/);
  } finally { await stack.stop(); }
});
