import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install -y chromium`), never a Playwright-downloaded build
 * (DESIGN §5: no `npx playwright install`; the machines reach only Debian and npm).
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Headless and quiet: no sandbox (we run as root in a container), no GPU, and none of the
 * background traffic (component updates, sync, QUIC probes) that would try the network.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** One browser per test file; open a fresh page (or context) per test. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}
