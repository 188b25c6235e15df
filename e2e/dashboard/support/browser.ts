import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { repoRoot } from '../../support/start-stack.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = `${repoRoot}e2e/artifacts/dashboard`;

/** The system Chromium (never a downloaded browser), headless, without any network of its own. */
export async function launchChromium(): Promise<Browser> {
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh browser profile (its own cookies) for one persona; `phone` gives a 390 px wide screen. */
export async function personaContext(browser: Browser, baseURL: string, opts: { phone?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    viewport: opts.phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    ...(opts.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
    acceptDownloads: true,
  });
  context.setDefaultTimeout(20_000);
  return context;
}

/** Signs in through the login form and waits until the browser has left /login. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** A full-page screenshot under e2e/artifacts/dashboard/<name>.png (gitignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

/** True when the page is the 404 page ("not found" and "not yours" read alike). */
export async function isNotFound(page: Page): Promise<boolean> {
  return (await page.getByRole('heading', { name: 'Not found', level: 1 }).count()) === 1;
}

/** The usage bars inside `scope` as { label: "used of limit (percent)" }, e.g. { Domains: "1 of 2 (50%)" }. */
export async function usageFigures(scope: Locator): Promise<Record<string, string>> {
  // evaluateAll does not wait: without this a page still loading reads as {}.
  await scope.locator('.usage').first().waitFor({ timeout: 15_000 });
  return scope.locator('.usage').evaluateAll((bars) =>
    Object.fromEntries(bars.map((bar) => [bar.querySelector('.usage-label')?.textContent ?? '', (bar.querySelector('.usage-figures')?.textContent ?? '').replace(/\s+/g, ' ').trim()])),
  );
}

/** A table row's cells by column header, as the text a reader sees, e.g. { Plan: "Starter" }. */
export async function cellsOf(row: Locator): Promise<Record<string, string>> {
  await row.locator('td[data-label]').first().waitFor({ timeout: 15_000 });
  return row.locator('td[data-label]').evaluateAll((cells) => Object.fromEntries(cells.map((c) => [c.getAttribute('data-label') ?? '', (c.textContent ?? '').replace(/\s+/g, ' ').trim()])));
}
