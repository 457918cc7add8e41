// Every bounce fixture through the web form: each gets a readable report,
// and the report's JSON says what tools/bounce-analyze says about the file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startStack, Client, bin, ROOT } from '../lib/stack.mjs';
import { startRbldnsd } from '../lib/rbldnsd.mjs';

const DIR = join(ROOT, 'tests/fixtures/bounces');
const LIMIT = 200 * 1024;
let dns, stack;

before(async () => {
  dns = await startRbldnsd();
  stack = await startStack({ conf: { 'dns.servers': dns.server, 'dns.timeout_ms': 800 } });
});
after(async () => { await stack?.stop(); await dns?.stop(); });

test('every bounce fixture gives a report whose facts match bounce-analyze', async () => {
  const files = readdirSync(DIR, { withFileTypes: true })
    .filter((d) => d.isFile() && !d.name.startsWith('.')).map((d) => d.name).sort();   // own/ is the own corpus
  assert.ok(files.length > 20);
  const c = new Client(stack.base);
  const csrf = await c.csrfFrom('/');
  let checked = 0, withRecipient = 0;
  for (const f of files) {
    const bytes = readFileSync(join(DIR, f));
    const text = bytes.toString('utf8');
    // the form takes text: skip fixtures that are binary, not UTF-8, or over the limit
    if (bytes.length === 0 || bytes.length > LIMIT || text.includes('\uFFFD') || text.includes('\0')) continue;
    const res = await c.post('/check', { csrf, bounce: text });
    assert.equal(res.status, 303, `${f}: ${res.status}`);
    const loc = res.headers.get('location');
    const page = await c.get(loc);
    assert.equal(page.status, 200, `${f}: report page`);
    assert.match(await page.text(), /<p class="sentence">[^<]{10,}/, `${f}: a verdict sentence`);
    const doc = await (await c.get(`/api/v1/reports/${loc.slice(3)}`)).json();
    const cli = JSON.parse(execFileSync(bin('tools/bounce-analyze'), [join(DIR, f)]).toString().split('\n')[0]);
    for (const k of ['blacklist', 'category', 'sending_ip', 'provider', 'provider_code', 'smtp_code', 'status', 'lists']) {
      assert.deepEqual(doc[k], cli[k], `${f}: ${k}`);
    }
    // anyone else with the link sees no recipient, in the page or the API
    // (an address the provider's own published advice names is public, not a correspondent)
    if (cli.recipient && cli.recipient.includes('@') && !(doc.advice || '').includes(cli.recipient)) {
      const stranger = new Client(stack.base);
      const page = (await (await stranger.get(loc)).text()).toLowerCase();
      const api = JSON.stringify(await (await stranger.get(`/api/v1/reports/${loc.slice(3)}`)).json()).toLowerCase();
      const who = cli.recipient.toLowerCase();
      assert.ok(!page.includes(who), `${f}: the page shows ${who} to a stranger`);
      assert.ok(!api.includes(who), `${f}: the API shows ${who} to a stranger`);
      withRecipient++;
    }
    checked++;
  }
  assert.ok(checked > 20, `only ${checked} fixtures checked`);
  assert.ok(withRecipient > 20, `only ${withRecipient} fixtures with a recipient`);
});
