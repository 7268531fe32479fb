// Headless Chromium for the cockpit's tests: Debian's chromium driven by playwright-core.
import { chromium, type Browser } from 'playwright-core';
import { ensureChromium } from '@ficus/stack';

export const launchChromium = async (): Promise<Browser> => chromium.launch({
  executablePath: await ensureChromium(),
  headless: true,
  // no sandbox as root; no GPU; no calls home (this machine's network refuses them)
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
