// Debian's chromium for the browser tests, driven by playwright-core (no
// browser download). One set of options, so every suite launches it alike:
// headless, no sandbox (root in CI), nothing that reaches the network.
import { chromium } from 'playwright-core';

export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

// A browser for suites that open their own contexts.
export function launchChromium() {
  return chromium.launch(CHROMIUM);
}

// A persistent context in profile (a temporary directory); options adds
// the suite's own (viewport, javaScriptEnabled, ...).
export function launchChromiumProfile(profile, options = {}) {
  return chromium.launchPersistentContext(profile, { ...CHROMIUM, ...options });
}
