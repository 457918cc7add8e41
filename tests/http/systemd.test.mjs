// The shipped systemd units are sandboxed: systemd-analyze's offline
// security check rates each 2.5 or lower ("OK"), and the web unit hands
// its socket to the web server's group only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/stack.mjs';

const ANALYZE = '/usr/bin/systemd-analyze';

for (const unit of ['blhelpdesk.service', 'blhelpdesk-monitor.service', 'blhelpdesk-maillog.service']) {
  test(`${unit}: systemd-analyze security rates it 2.5 or lower`,
    { skip: !existsSync(ANALYZE) && 'systemd is not installed' }, () => {
      const r = spawnSync(ANALYZE, ['security', '--offline=true', '--no-pager', join(ROOT, 'conf/systemd', unit)],
        { encoding: 'utf8' });
      const m = (r.stdout + r.stderr).match(/Overall exposure level for \S+: ([\d.]+)/);
      assert.ok(m, `no score in: ${r.stdout}${r.stderr}`);
      assert.ok(Number(m[1]) <= 2.5, `${unit} scores ${m[1]}`);
    });
}

test('the web unit: private files, socket for the web server group only', () => {
  const unit = readFileSync(join(ROOT, 'conf/systemd/blhelpdesk.service'), 'utf8');
  assert.match(unit, /^UMask=0027$/m);
  assert.match(unit, /^StateDirectoryMode=0750$/m);
  assert.match(unit, /--socket-mode 0660 --socket-group www-data/);
  assert.doesNotMatch(unit, /^Group=www-data$/m, 'the database must not be group www-data');
});
