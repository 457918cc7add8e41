// Issue 15: an HDF link cycle in the configuration (`a : a.b`, `e := a`)
// made every binary segfault. Each binary that reads --conf must now
// refuse the file with a message naming it and the line, and exit with
// its usual failure code, never a signal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const OUT = process.env.OUT || '.';
let tmp;

before(() => { tmp = mkdtempSync(path.join(os.tmpdir(), 'hdf-links-')); });
after(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

const configs = [
  { name: 'cycle', text: 'db.path = x\na : a.b\ne := a\n', says: ':2: HDF links (a : b) are not allowed' },
  { name: 'copy', text: 'a.b = 1\n\ne := a\n', says: ':3: HDF copies (a := b) are not allowed' },
  { name: 'nested', text: 'site {\n  company : demo.seed\n}\n', says: ':2: HDF links' },
];

const binaries = [
  { bin: 'cgi-bin/portal.fcgi', args: (f) => ['--check', '--conf', f] },
  { bin: 'tools/portalctl', args: (f) => ['--conf', f, 'monitor', '--quiet'] },
  { bin: 'tools/blcheck', args: (f) => ['--conf', f, '192.0.2.1'] },
];

for (const c of configs) {
  for (const b of binaries) {
    test(`${b.bin} refuses the ${c.name} configuration`, () => {
      const file = path.join(tmp, `${c.name}.hdf`);
      writeFileSync(file, c.text);
      const r = spawnSync(path.resolve(OUT, b.bin), b.args(file), { encoding: 'utf8', timeout: 20000 });
      assert.equal(r.signal, null, `killed by ${r.signal}`);
      assert.notEqual(r.status, 0);
      assert.ok(r.stderr.includes(file + c.says), r.stderr);
    });
  }
}
