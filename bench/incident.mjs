// bench/incident.mjs: the day of an incident, side by side (issue 13).
// Real nginx + portal.fcgi + rbldnsd on loopback (tests/lib), two workers,
// DNS deadline 1.5 s, the lists xbl.spamhaus.org (silent: rbldnsd's acl
// drops its queries), bl.spamcop.net and b.barracudacentral.org. Each case
// runs with checks.threads = 0 (a check inside the request: the design
// before this issue, still the fallback) and with check threads:
//   1. a silent list and N customers at once: how long until each has a
//      link, until the last report is ready, and /healthz latency while
//      they wait (p50/p99 of probes every 50 ms);
//   2. the same IP asked by N customers at once: queries the lists got;
//   3. a list flipping under a running portal: bl.spamcop.net starts
//      listing everything (127.0.0.1 included) mid-run: false "listed".
//   node bench/incident.mjs [N] [THREADS]     (OUT=dir for another build)
import { startStack, Client, sqlite } from '../tests/lib/stack.mjs';
import { startRbldnsd, defaultZoneDir } from '../tests/lib/rbldnsd.mjs';
import { mkdtempSync, readdirSync, copyFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const N = Number(process.argv[2] || 48);
const THREADS = Number(process.argv[3] || 32);
const LISTS = 'xbl.spamhaus.org, bl.spamcop.net, b.barracudacentral.org';
const now = () => Number(process.hrtime.bigint() / 1000n) / 1000;   // ms
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN; };

async function visitors(stack, n) {
  return Promise.all(Array.from({ length: n }, async () => {
    const c = new Client(stack.base);
    return { c, csrf: await c.csrfFrom('/') };
  }));
}

const pending = (html) => /<meta http-equiv="refresh" content="1; url=\/r\//.test(html);

async function ready(c, location) {
  for (;;) {
    if (!pending(await (await c.get(location)).text())) return now();
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function silentList(dns, threads) {
  const stack = await startStack({ workers: 2, conf: { 'dns.servers': dns.server, 'dns.lists': LISTS, 'checks.threads': threads } });
  try {
    const vs = await visitors(stack, N);
    let probing = true;
    const probes = [];
    const prober = (async () => {
      while (probing) {
        const t = now();
        await (await fetch(`${stack.base}/healthz`)).text();
        probes.push(now() - t);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const t0 = now();
    const links = await Promise.all(vs.map(async ({ c, csrf }, i) => {
      const r = await c.post('/check', { ip: `198.51.100.${i + 1}`, csrf });
      return { at: now(), location: r.headers.get('location'), c };
    }));
    const done = await Promise.all(links.map(({ c, location }) => ready(c, location)));
    probing = false;
    await prober;
    return {
      link_p50: pct(links.map((l) => l.at - t0), 0.5), link_max: Math.max(...links.map((l) => l.at - t0)),
      report_max: Math.max(...done) - t0, healthz_p50: pct(probes, 0.5), healthz_p99: pct(probes, 0.99),
      probes: probes.length,
    };
  } finally { await stack.stop(); }
}

async function sameIp(dns, threads) {
  const stack = await startStack({ workers: 2, conf: { 'dns.servers': dns.server, 'dns.lists': 'bl.spamcop.net, b.barracudacentral.org', 'checks.threads': threads } });
  try {
    const vs = await visitors(stack, N);
    const links = await Promise.all(vs.map(({ c, csrf }, i) => c.post('/check', { ip: '192.0.2.2', ticket: `T${i}`, csrf })
      .then((r) => ({ c, location: r.headers.get('location') }))));
    await Promise.all(links.map(({ c, location }) => ready(c, location)));
    const sent = sqlite(stack.dbPath, 'SELECT coalesce(sum(queries), 0) FROM dnsbl_budget');
    return { checks: N, reports: Number(sqlite(stack.dbPath, 'SELECT count(*) FROM reports')), queries_sent: Number(sent) };
  } finally { await stack.stop(); }
}

async function flipping(threads) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'incident-zones-'));
  for (const f of readdirSync(defaultZoneDir)) copyFileSync(path.join(defaultZoneDir, f), path.join(dir, f));
  const good = await startRbldnsd({ dir });
  // the same zones, with bl.spamcop.net replaced by a list that lists everything
  const badDir = mkdtempSync(path.join(os.tmpdir(), 'incident-bad-'));
  for (const f of readdirSync(defaultZoneDir)) copyFileSync(path.join(defaultZoneDir, f), path.join(badDir, f));
  copyFileSync(path.join(defaultZoneDir, 'ips.backscatterer.org'), path.join(badDir, 'bl.spamcop.net'));
  const bad = await startRbldnsd({ dir: badDir });
  const conf = { 'dns.servers': good.server, 'dns.lists': 'bl.spamcop.net', 'checks.threads': threads, 'dns.cache_max_seconds': 0 };
  const stack = await startStack({ workers: 2, conf });
  try {
    const vs = await visitors(stack, 8);
    const before = await Promise.all(vs.map(({ c, csrf }, i) => c.post('/check', { ip: `198.51.100.${100 + i}`, csrf })
      .then((r) => ready(c, r.headers.get('location')))));
    void before;
    // the list turns bad under the running portal: the configuration points
    // at the same port, so swap the servers' roles by restarting the stack
    // against the bad one with the same database (health records kept)
    await stack.stop();
    const stack2 = await startStack({ workers: 2, conf: { ...conf, 'dns.servers': bad.server, 'db.path': stack.dbPath } });
    try {
      const vs2 = await visitors(stack2, 8);
      const pages = await Promise.all(vs2.map(async ({ c, csrf }, i) => {
        const r = await c.post('/check', { ip: `198.51.100.${120 + i}`, csrf });
        await ready(c, r.headers.get('location'));
        return (await (await fetch(`${stack2.base}/api/v1/reports/${r.headers.get('location').slice(3)}`)).json());
      }));
      const listed = pages.filter((d) => d.checks.some((x) => x.status === 'listed')).length;
      return { checks_after_flip: pages.length, false_listed: listed };
    } finally { await stack2.stop(); }
  } finally {
    await good.stop(); await bad.stop();
    rmSync(dir, { recursive: true, force: true }); rmSync(badDir, { recursive: true, force: true });
  }
}

const dns = await startRbldnsd();
try {
  const rows = [];
  for (const threads of [0, THREADS]) {
    const label = threads ? `check threads (${threads}/worker)` : 'inside the request (before)';
    const s = await silentList(dns, threads);
    const q = await sameIp(dns, threads);
    const f = await flipping(threads);
    rows.push({ label, ...s, ...q, ...f });
  }
  const f = (x) => (Number.isFinite(x) ? x.toFixed(0) : '-');
  console.log(`N = ${N} customers, 2 workers, DNS deadline 1500 ms (ms unless said)`);
  console.log('| design | link p50 | link max | last report | /healthz p50 | /healthz p99 | same IP: queries for N checks | false listed after flip |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(`| ${r.label} | ${f(r.link_p50)} | ${f(r.link_max)} | ${f(r.report_max)} | ${f(r.healthz_p50)} | ${f(r.healthz_p99)} | ${r.queries_sent} for ${r.checks} | ${r.false_listed} of ${r.checks_after_flip} |`);
} finally { await dns.stop(); }
