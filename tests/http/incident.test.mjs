// The day of an incident (issue 13): one list is silent (rbldnsd's acl
// drops every query for xbl.spamhaus.org in tests/fixtures/zones), the
// DNS deadline is 1.5 s and many customers check at once, through nginx
// with the check threads on. Nobody waits on somebody else's DNS: the
// form answers with the report link at once, the link shows "checking"
// and refreshes itself (no JavaScript), other pages answer meanwhile,
// every check ends in a report, and the same form sent twice gives one
// report. No time is asserted: only what is answered while what is still
// pending.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, Client, sqlite } from '../lib/stack.mjs';
import { startRbldnsd } from '../lib/rbldnsd.mjs';

const HANG = { timeout: 60000 };   // a guard against hangs, not a timing assertion
const CHECKS = 64;
let dns, stack;

before(async () => {
  dns = await startRbldnsd();
  stack = await startStack({
    workers: 2,
    conf: {
      'dns.servers': dns.server,
      'dns.lists': 'xbl.spamhaus.org, bl.spamcop.net, b.barracudacentral.org',
      'dns.timeout_ms': 1500,
      'checks.threads': 32,
    },
  });
});
after(async () => { await stack?.stop(); await dns?.stop(); });

// A visitor with a CSRF token from the home page.
async function visitor() {
  const c = new Client(stack.base);
  const csrf = await c.csrfFrom('/');
  assert.ok(csrf);
  return { c, csrf };
}

const isPending = (html) => /<meta http-equiv="refresh" content="1; url=\/r\//.test(html);

// Reads the report page until it is no longer pending.
async function final(c, location) {
  for (let i = 0; i < 200; i++) {
    const html = await (await c.get(location)).text();
    if (!isPending(html)) return html;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${location} still pending`);
}

test(`${CHECKS} customers at once: links at once, other pages answer while they wait, every check ends`, HANG, async () => {
  const visitors = await Promise.all(Array.from({ length: CHECKS }, () => visitor()));
  const posted = await Promise.all(visitors.map(({ c, csrf }, i) =>
    c.post('/check', { ip: `198.51.100.${i + 1}`, csrf })));
  for (const r of posted) assert.equal(r.status, 303);
  const locations = posted.map((r) => r.headers.get('location'));
  assert.equal(new Set(locations).size, CHECKS, 'one report each');

  // While the lookups wait on the silent list: the home page and /healthz answer ...
  const health = await fetch(`${stack.base}/healthz`);
  assert.equal(health.status, 200);
  const home = await fetch(`${stack.base}/`);
  assert.equal(home.status, 200);
  // ... and the reports they answered next to are still being made.
  const { c } = visitors[0];
  const page = await (await c.get(locations[CHECKS - 1])).text();
  assert.ok(isPending(page), 'the last report was still pending when /healthz answered');
  assert.match(page, /Checking 198\.51\.100\.64 now/);
  assert.match(page, /xbl\.spamhaus\.org/, 'the lists being asked are named');
  // the API says the same in JSON
  const api = await fetch(`${stack.base}/api/v1/reports/${locations[CHECKS - 1].slice(3)}`);
  if (api.status === 202) {
    const j = await api.json();
    assert.equal(j.state, 'checking');
    assert.ok(j.asking.includes('xbl.spamhaus.org'));
  } else {
    assert.equal(api.status, 200, 'or already done');
  }

  // Every check ends in a report at the same link, the silent list named as such.
  const pages = await Promise.all(visitors.map(({ c: v }, i) => final(v, locations[i])));
  for (const html of pages) assert.doesNotMatch(html, /The check did not finish/);
  const n = sqlite(stack.dbPath, "SELECT count(*) FROM reports WHERE ip LIKE '198.51.100.%'");
  assert.equal(Number(n), CHECKS);
  const states = sqlite(stack.dbPath, "SELECT group_concat(DISTINCT state) FROM pending_checks");
  assert.equal(states, 'done');
  const silent = await (await fetch(`${stack.base}/api/v1/reports/${locations[0].slice(3)}`)).json();
  const xbl = silent.checks.find((x) => x.zone === 'xbl.spamhaus.org');
  assert.ok(['timeout', 'skipped'].includes(xbl.status), xbl.status);
});

test('the same form sent twice within seconds gives the same report', HANG, async () => {
  const { c, csrf } = await visitor();
  const [a, b] = await Promise.all([
    c.post('/check', { ip: '203.0.113.77', csrf }),
    c.post('/check', { ip: '203.0.113.77', csrf }),
  ]);
  assert.equal(a.status, 303);
  assert.equal(b.status, 303);
  assert.equal(a.headers.get('location'), b.headers.get('location'));
  const third = await c.post('/check', { ip: '203.0.113.77', csrf });
  assert.equal(third.headers.get('location'), a.headers.get('location'), 'a reload of the POST too');
  const done = await final(c, a.headers.get('location'));
  assert.match(done, /203\.0\.113\.77/, done.slice(0, 1500));
  assert.equal(sqlite(stack.dbPath, "SELECT count(*) FROM reports WHERE ip = '203.0.113.77'"), '1');
  // another address is another report
  const other = await c.post('/check', { ip: '203.0.113.78', csrf });
  assert.notEqual(other.headers.get('location'), a.headers.get('location'));
});
