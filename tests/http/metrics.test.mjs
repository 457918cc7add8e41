// GET /metrics through nginx: Prometheus text format (every line a
// comment or `name{labels} value`), and the counters move after a check
// against rbldnsd (tests/fixtures/zones: 192.0.2.2 is listed everywhere).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, Client } from '../lib/stack.mjs';
import { startRbldnsd } from '../lib/rbldnsd.mjs';

let dns, stack;

before(async () => {
  dns = await startRbldnsd();
  stack = await startStack({ conf: { 'dns.servers': dns.server } });
});
after(async () => { await stack?.stop(); await dns?.stop(); });

const LINE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\})? -?([0-9.e+-]+|\+Inf|NaN)$/;

// Parses a scrape into { 'name{labels}': value }, failing on any bad line.
async function scrape() {
  const res = await fetch(`${stack.base}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  const out = {};
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    assert.match(line, LINE, `not a sample line: ${line}`);
    const i = line.lastIndexOf(' ');
    out[line.slice(0, i)] = Number(line.slice(i + 1));
  }
  return { text, samples: out };
}

const sum = (samples, prefix) =>
  Object.entries(samples).filter(([k]) => k.startsWith(prefix)).reduce((a, [, v]) => a + v, 0);

test('the scrape parses and names every metric the issue asks for', async () => {
  const { text, samples } = await scrape();
  for (const name of ['blhd_dns_queries_total', 'blhd_dns_cache_hits_total', 'blhd_checks_in_flight',
    'blhd_list_health', 'blhd_reports_stored', 'blhd_request_duration_seconds'])
    assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), name);
  assert.ok('blhd_request_duration_seconds_bucket{le="+Inf"}' in samples);
  assert.equal(samples.blhd_request_duration_seconds_count, samples['blhd_request_duration_seconds_bucket{le="+Inf"}']);
});

test('a check moves the DNS counters, the reports and the histogram', async () => {
  const before = (await scrape()).samples;
  const c = new Client(stack.base);
  const res = await c.get('/check?ip=192.0.2.2');
  assert.equal(res.status, 303);
  const after1 = (await scrape()).samples;
  assert.ok(sum(after1, 'blhd_dns_queries_total{') > sum(before, 'blhd_dns_queries_total{'));
  assert.ok(sum(after1, 'blhd_dns_queries_total{zone="zen.spamhaus.org",outcome="listed"}') >= 1);
  assert.ok(sum(after1, 'blhd_dns_queries_sent_total{') > sum(before, 'blhd_dns_queries_sent_total{'));
  assert.equal(after1.blhd_reports_stored, (before.blhd_reports_stored || 0) + 1);
  assert.ok(after1.blhd_request_duration_seconds_count >= before.blhd_request_duration_seconds_count + 2, "the scrape and the check");
  assert.equal(after1['blhd_list_health{zone="zen.spamhaus.org",family="4",state="ok"}'], 1);
  assert.equal(after1.blhd_checks_in_flight, 0);
  // the same address again within the cache TTL: served from the cache
  // (another ticket: the very same link would reuse its report, issue 14)
  assert.equal((await c.get('/check?ip=192.0.2.2&ticket=again')).status, 303);
  const after2 = (await scrape()).samples;
  assert.ok(sum(after2, 'blhd_dns_cache_hits_total{') > sum(after1, 'blhd_dns_cache_hits_total{'));
});

test('HEAD works and POST is refused', async () => {
  assert.equal((await fetch(`${stack.base}/metrics`, { method: 'HEAD' })).status, 200);
  assert.equal((await fetch(`${stack.base}/metrics`, { method: 'POST' })).status, 405);
});
