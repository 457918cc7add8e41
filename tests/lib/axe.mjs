// axe-core (npm) inside the real browser: the page's accessibility
// violations, WCAG 2.1 A and AA rules. A test asserts the list is empty.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './stack.mjs';

const source = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

// Runs axe on the page as it is now; returns "rule: target (summary)" lines.
export async function axeViolations(page) {
  // injected as an evaluated string: the portal's CSP allows only its own
  // scripts, and a test must not loosen the page it checks
  await page.evaluate(source);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations.map((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} (${v.help})`)).flat();
  });
  return result;
}
