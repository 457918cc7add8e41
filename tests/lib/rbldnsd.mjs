// Starts Debian's rbldnsd on a free loopback UDP port with test zones, for
// node:test suites (CLI, HTTP, browser). Stable API:
//
//   import { startRbldnsd } from '../lib/rbldnsd.mjs';
//   const dns = await startRbldnsd();            // or { dir: 'path/to/zones' }
//   ... pass dns.server ("127.0.0.1:PORT") as --server / dns.servers ...
//   await dns.stop();
//
// The zone directory holds zones.conf ("zone type file" per line, # comments)
// and the data files it names (tests/fixtures/zones/ by default; see its
// zones.conf for what each zone does). Nothing leaves the machine: rbldnsd
// binds 127.0.0.1 only.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const defaultZoneDir = path.resolve(here, '../fixtures/zones');
const RBLDNSD = process.env.RBLDNSD || '/usr/sbin/rbldnsd';

function datasets(dir) {
  const conf = readFileSync(path.join(dir, 'zones.conf'), 'utf8');
  const out = [];
  for (const raw of conf.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [zone, type, file] = line.split(/\s+/);
    if (!zone || !type || !file) throw new Error(`zones.conf: bad line: ${raw}`);
    out.push(`${zone}:${type}:${file}`);
  }
  if (out.length === 0) throw new Error(`no datasets in ${dir}/zones.conf`);
  return { specs: out, probeZone: out[0].split(':')[0] };
}

function freeUdpPort() {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// A minimal DNS query (A 2.0.0.127.<zone>): any reply means rbldnsd is up.
function probeQuery(zone) {
  const labels = `2.0.0.127.${zone}`.split('.');
  const parts = [Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0])];
  for (const l of labels) parts.push(Buffer.from([l.length]), Buffer.from(l, 'ascii'));
  parts.push(Buffer.from([0, 0, 1, 0, 1]));
  return Buffer.concat(parts);
}

function probe(port, zone, timeoutMs) {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const done = (ok) => { clearTimeout(t); s.close(); resolve(ok); };
    const t = setTimeout(() => done(false), timeoutMs);
    s.once('message', () => done(true));
    s.once('error', () => done(false));
    s.send(probeQuery(zone), port, '127.0.0.1');
  });
}

async function startOnce(dir, specs, probeZone) {
  const port = await freeUdpPort();
  const args = ['-n', '-q', '-b', `127.0.0.1/${port}`, '-w', dir, '-t', '600'];
  // rbldnsd refuses to keep root: drop to its own user when we are root.
  if (process.getuid && process.getuid() === 0) args.push('-u', 'rbldns');
  const child = spawn(RBLDNSD, [...args, ...specs], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  let exited = false;
  const exit = new Promise((resolve) => child.once('exit', (code) => { exited = true; resolve(code); }));
  for (let i = 0; i < 100 && !exited; i++) {
    if (await probe(port, probeZone, 100)) {
      return {
        port,
        server: `127.0.0.1:${port}`,
        pid: child.pid,
        async stop() {
          if (!exited) { child.kill('SIGTERM'); await exit; }
        },
      };
    }
  }
  if (!exited) { child.kill('SIGKILL'); await exit; }
  return { error: stderr || 'rbldnsd did not answer' };
}

export async function startRbldnsd({ dir = defaultZoneDir } = {}) {
  const abs = path.resolve(dir);
  const { specs, probeZone } = datasets(abs);
  let last = '';
  for (let attempt = 0; attempt < 3; attempt++) {   // the free port may be taken meanwhile
    const r = await startOnce(abs, specs, probeZone);
    if (!r.error) return r;
    last = r.error;
  }
  throw new Error(`rbldnsd failed to start: ${last}`);
}
