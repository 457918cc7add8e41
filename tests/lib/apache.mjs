// Debian's apache2 in the foreground for a test: a minimal server
// configuration around a site file, listening on the given loopback ports.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MODULES = '/usr/lib/apache2/modules';
const BASE_MODULES = ['mpm_event', 'authz_core', 'mime', 'alias', 'headers', 'proxy', 'proxy_fcgi'];

// Writes DIR/apache.conf (ports, extra modules, the site text) and starts
// apache2 with it. Returns the child process.
export function startApache({ dir, ports, site, modules = [] }) {
  const load = [...BASE_MODULES, ...modules]
    .map((m) => `LoadModule ${m}_module ${MODULES}/mod_${m}.so`).join('\n');
  writeFileSync(join(dir, 'apache.conf'), `
ServerRoot ${dir}
ServerName localhost
${ports.map((p) => `Listen 127.0.0.1:${p}`).join('\n')}
PidFile ${dir}/apache.pid
ErrorLog ${dir}/apache-error.log
LogLevel warn
${process.getuid() === 0 ? 'User www-data\nGroup www-data' : ''}
${load}
TypesConfig /etc/mime.types
Mutex file:${dir}
${site}
`);
  return spawn('/usr/sbin/apache2', ['-f', join(dir, 'apache.conf'), '-DFOREGROUND'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, APACHE_RUN_DIR: dir, APACHE_LOCK_DIR: dir } });
}
