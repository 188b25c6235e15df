import { mkdir, rm } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlOk } from './support/graphql.js';
import { repoRoot, startStack, type Stack } from './support/start-stack.js';

const ARTIFACTS = `${repoRoot}e2e/artifacts`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('dashboard in a real browser (system Chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let tenantId: string;
  let domainId: string;

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    stack = await startStack();
    // The platform admin prepares a tenant and a domain over GraphQL; the browser does the rest.
    const { login } = await gqlOk<{ login: { token: string } }>(stack.ports.api, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
      e: stack.adminEmail,
      p: stack.adminPassword,
    });
    const t = await gqlOk<{ createTenant: { id: string } }>(stack.ports.api, 'mutation { createTenant(input: { name: "Browser Customer" }) { id } }', {}, login.token);
    tenantId = t.createTenant.id;
    const d = await gqlOk<{ createDomain: { id: string } }>(stack.ports.api, 'mutation($t: ID!) { createDomain(input: { tenantId: $t, name: "browser.test" }) { id } }', { t: tenantId }, login.token);
    domainId = d.createDomain.id;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    if (stack) {
      await stack.stop();
      await rm(stack.dataDir, { recursive: true, force: true });
    }
  });

  const url = (path: string) => `http://127.0.0.1:${stack.ports.dashboard}${path}`;

  it('sends a visitor without a session to the login page', async () => {
    await page.goto(url(`/t/${tenantId}/domains/${domainId}`));
    await page.waitForURL(/\/login/);
    await expect(page.getByLabel('Email').isVisible()).resolves.toBe(true);
  });

  it('refuses a wrong password with a visible message', async () => {
    await page.getByLabel('Email').fill(stack.adminEmail);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('main').getByRole('alert').textContent()).resolves.toMatch(/wrong email or password/i);
    await page.screenshot({ path: `${ARTIFACTS}/login-error.png`, fullPage: true });
  });

  it('logs in, creates a mailbox and sees it listed', async () => {
    await page.getByLabel('Email').fill(stack.adminEmail);
    await page.getByLabel('Password').fill(stack.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/tenants/);
    await page.getByText('Browser Customer').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/tenants.png`, fullPage: true });

    await page.goto(url(`/t/${tenantId}/domains/${domainId}`));
    await page.getByText('No mailboxes yet').waitFor();
    await page.getByLabel('Local part').fill('browser-user');
    await page.getByLabel('Password').fill('browser-password-1');
    await page.getByLabel('Quota (MB)').fill('500');
    await page.getByRole('button', { name: 'Create mailbox' }).click();
    await page.getByRole('cell', { name: 'browser-user@browser.test' }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/mailboxes.png`, fullPage: true });

    // The mailbox really exists in the API, with the quota from the form.
    const { login } = await gqlOk<{ login: { token: string } }>(stack.ports.api, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
      e: stack.adminEmail,
      p: stack.adminPassword,
    });
    const m = await gqlOk<{ mailboxes: { nodes: { address: string; quotaBytes: number }[] } }>(
      stack.ports.api,
      'query($d: ID) { mailboxes(domainId: $d) { nodes { address quotaBytes } } }',
      { d: domainId },
      login.token,
    );
    expect(m.mailboxes.nodes).toEqual([{ address: 'browser-user@browser.test', quotaBytes: 500 * 1024 * 1024 }]);
  });

  it('shows API validation errors next to the form', async () => {
    await page.getByLabel('Local part').fill('short-pass');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create mailbox' }).click();
    const alert = page.getByRole('main').getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/password.*VALIDATION/i);
    // Nothing was created.
    await expect(page.getByRole('cell', { name: 'short-pass@browser.test' }).count()).resolves.toBe(0);
  });
});
