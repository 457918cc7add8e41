// `make run PORT=... CONF=...`: the same stack on another port with another
// configuration, and SIGTERM stops all of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import net from 'node:net';
import { writeFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, tempDir, sleep, ROOT } from '../lib/stack.mjs';

test('make run honours PORT and CONF, serves static files and healthz, and stops on SIGTERM', async () => {
  const dir = tempDir();
  const port = await freePort();
  const conf = join(dir, 'portal.hdf');
  writeFileSync(conf, `db.path = ${join(dir, 'other.sqlite')}\npaths.data = ${ROOT}\nsite.company = Run Test Hosting\ndemo.seed = 1\n`);
  const run = spawn('make', ['-s', 'run', `PORT=${port}`, `CONF=${conf}`],
    { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });   // OUT, SAN from make test
  let out = '';
  run.stdout.on('data', (d) => { out += d; });
  run.stderr.on('data', (d) => { out += d; });
  const base = `http://127.0.0.1:${port}`;
  let up = false;
  for (let i = 0; i < 300 && !(up && /Ctrl-C/.test(out)); i++) {
    try { up = (await fetch(`${base}/healthz`)).ok; } catch { /* not yet */ }
    await sleep(100);
  }
  try {
    assert.ok(up, `stack did not come up: ${out}`);
    assert.match(out, new RegExp(`http://127\\.0\\.0\\.1:${port}/`));
    assert.match(out, /login demo +password demo-customer-pw/);
    assert.match(out, /login admin +password demo-admin-pw/);
    const home = await (await fetch(`${base}/`)).text();
    assert.match(home, /Run Test Hosting/);
    assert.ok(existsSync(join(dir, 'other.sqlite')), 'database from CONF');
    const css = await fetch(`${base}/static/css/portal.css`);
    assert.equal(css.status, 200);
    const big = await fetch(`${base}/check`, { method: 'POST', body: 'bounce=' + 'x'.repeat(1 << 20),
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(big.status, 413);
    assert.equal((await fetch(`${base}/`)).status, 200);
    if (process.getuid() === 0) {
      // the workers gave up root; the socket is for the web server's group only
      const ps = execFileSync('ps', ['-eo', 'user:20,ppid,pid,args']).toString().split('\n')
        .filter((l) => l.includes(`/${port}/portal.sock`));
      const master = ps.find((l) => !ps.some((o) => o !== l && l.trim().split(/\s+/)[1] === o.trim().split(/\s+/)[2]));
      const workers = ps.filter((l) => l !== master);
      assert.ok(workers.length >= 1, `workers found: ${ps.join('\n')}`);
      for (const w of workers) assert.doesNotMatch(w, /^root\s/, `worker runs as root: ${w}`);
      const sock = ps[0].match(/--socket (\S+)/)[1];
      const st = statSync(sock);
      assert.equal(st.mode & 0o777, 0o660, 'socket mode');
      assert.equal(execFileSync('stat', ['-c', '%G', sock]).toString().trim(), 'www-data');
    }
  } finally {
    try { process.kill(-run.pid, 'SIGTERM'); } catch { /* already gone: the assertions above say why */ }
    if (run.exitCode === null) await new Promise((r) => { run.once('exit', r); setTimeout(r, 10000); });
  }
  let refused = false;
  for (let i = 0; i < 50 && !refused; i++) {
    try { await fetch(`${base}/healthz`); await sleep(100); } catch { refused = true; }
  }
  assert.ok(refused, 'nothing listens on the port after SIGTERM');
  // make exits at once; run.sh's trap then stops nginx and the workers (an
  // ASan build takes a moment longer to exit)
  let left = [];
  for (let i = 0; i < 100; i++) {
    left = execFileSync('ps', ['-eo', 'pid,args']).toString().split('\n')
      .filter((l) => l.includes(`/${port}/portal.sock`) || l.includes(`/${port}/nginx.conf`));
    if (left.length === 0) break;
    await sleep(100);
  }
  assert.deepEqual(left, [], 'no process of the stack is left');
});

test('make run on a port that is taken says so and how to pick another', async () => {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address();
  try {
    const res = spawnSync('make', ['-s', 'run', `PORT=${port}`], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
    assert.notEqual(res.status, 0);
    assert.match(res.stderr, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`));
    assert.match(res.stderr, /make run PORT=\d+/);
  } finally {
    server.close();
  }
});
