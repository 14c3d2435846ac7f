// What every browser test here shares: Debian's Chromium started headless by playwright-core, with the
// flags this kind of machine needs (no sandbox as root, no GPU, no calls home), a fresh profile, and
// output a JUnit test can follow line by line.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/** Reads a required environment variable (the JUnit test passes them). */
export function env(name) {
  const value = process.env[name];
  if (!value) {
    fail(`environment variable ${name} is not set`);
  }
  return value;
}

/** Prints one line for the JUnit test: "STEP <name>" marks progress, "OK" success, "FAIL <why>" failure. */
export function say(line) {
  process.stdout.write(line + '\n');
}

export function fail(why) {
  say(`FAIL ${why}`);
  process.exit(1);
}

/** Waits for a line on standard input (the JUnit test answers "GO" when it has done its part). */
export async function waitForLine(expected) {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() === expected) {
      lines.close();
      return;
    }
  }
  fail(`standard input closed before "${expected}"`);
}

/**
 * Runs a test body with a new browser context; saves a screenshot named after each step into
 * SCREENSHOT_DIR and a final one on failure; always closes the browser and removes the profile.
 */
export async function withBrowser(contextOptions, body) {
  const profile = mkdtempSync(join(tmpdir(), 'estafeta-chromium-'));
  const screenshots = process.env.SCREENSHOT_DIR || join(tmpdir(), 'estafeta-screenshots');
  mkdirSync(screenshots, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, Object.assign({
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1400, height: 1000 },
  }, contextOptions));
  const page = context.pages()[0] || await context.newPage();
  page.on('console', message => {
    if (message.type() === 'error') {
      say(`CONSOLE ${message.text()}`);
    }
  });
  page.on('pageerror', error => say(`PAGEERROR ${error.message}`));
  const shot = async name => {
    const path = join(screenshots, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    say(`SCREENSHOT ${path}`);
  };
  try {
    await body(page, shot);
    say('OK');
  } catch (error) {
    await shot('failure').catch(() => {});
    say(`FAIL ${String(error && error.stack || error).split('\n').join(' | ')}`);
    process.exitCode = 1;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
