import { rm } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerAccess, PERSONAS, pageAccess, pageRoutes, routeHandlers, type Access, type HandlerCase, type Persona } from './dashboard/support/access.js';
import { apiToken, createMailbox, createTenantWithDomain } from './dashboard/support/api.js';
import { axeViolations } from './dashboard/support/axe.js';
import { cellsOf, isNotFound, launchChromium, personaContext, screenshot, signIn, usageFigures } from './dashboard/support/browser.js';
import { deliverOverSmtp } from './dashboard/support/deliver-over-smtp.js';
import { listenToEvents, receivedEvents } from './dashboard/support/live-events.js';
import { sendBurst } from './dashboard/support/send-burst.js';
import { FakeDns } from '../tools/test-support/fake-dns.js';
import { freePort } from '../tools/test-support/free-port.js';
import { gql, gqlOk } from './support/graphql.js';
import { startStack, type Stack } from './support/start-stack.js';

/** Figures render after the page's data arrives: read them until they match (or 15 s pass). */
const POLL = { timeout: 15_000, interval: 200 };

/**
 * The dashboard in the system Chromium against the whole platform (started as `npm start` does):
 * the provider, a customer's admin and a mailbox owner each go through their main flows, in that
 * order, sharing one stack. Every main page is screenshotted into e2e/artifacts/dashboard/ and
 * checked with axe-core. Outbound mail goes to a smarthost port where nothing listens, so it waits in
 * the queue (deferred) instead of leaving the machine; the burst factor is 2 so a few submissions
 * from a mailbox allowed 1 message a minute trip the burst detector.
 * Direct-URL access is checked per persona for every page.tsx and route.ts of the dashboard, from
 * the table in dashboard/support/access.ts (a route without a case there fails the test).
 */
describe('dashboard: provider, customer and mailbox owner in a real browser', () => {
  let stack: Stack;
  let dns: FakeDns;
  let browser: Browser;
  let provider: Page;
  let customer: Page;
  let owner: Page;
  const contexts: BrowserContext[] = [];
  const ids = { tenant: '', domain: '', mailbox: '', otherTenant: '', otherDomain: '', otherMailbox: '' };
  /** The provider's API token (for checks made through GraphQL, as automation would). */
  let providerToken = '';
  const CUSTOMER = { email: 'admin@acme.test', password: 'acme-admin-password-1' };
  const OWNER = { email: 'alice@acme.test', password: 'alice-first-password', newPassword: 'alice-second-password' };
  /** The mailbox of the other tenant, made through the API. */
  const OTHER_OWNER = { email: 'news@other.test', password: 'news-reader-password' };
  /** The plan every tenant made without one gets (seeded), read from the API in beforeAll. */
  let defaultPlan = { maxDomains: 0, maxMailboxes: 0, maxAliases: 0 };
  let base = '';

  async function checkedPage(page: Page, name: string): Promise<void> {
    await page.waitForLoadState('networkidle');
    await screenshot(page, name);
    expect(await axeViolations(page), `axe on ${name}`).toEqual([]);
  }

  beforeAll(async () => {
    const nowhere = await freePort();
    // The customer "publishes" DNS records in this fake server; the API checks them through it.
    dns = await FakeDns.start();
    stack = await startStack({
      env: {
        DARWIN_SMARTHOST: `127.0.0.1:${nowhere}`,
        DARWIN_DNS_SERVERS: dns.server,
        DARWIN_DNS_TIMEOUT: '1s',
        DARWIN_SEND_BURST_FACTOR: '2',
      },
    });
    providerToken = await apiToken(stack.ports.api, stack.adminEmail, stack.adminPassword);
    const other = await createTenantWithDomain(stack.ports.api, providerToken, 'Other Customer', 'other.test');
    ids.otherTenant = other.tenantId;
    ids.otherDomain = other.domainId;
    ids.otherMailbox = (await createMailbox(stack.ports.api, providerToken, other.domainId, 'news', OTHER_OWNER.password)).id;
    const { plans } = await gqlOk<{ plans: { nodes: (typeof defaultPlan & { name: string })[] } }>(
      stack.ports.api,
      '{ plans(first: 100) { nodes { name maxDomains maxMailboxes maxAliases } } }',
      {},
      providerToken,
    );
    const seeded = plans.nodes.find((p) => p.name === 'Default')!;
    defaultPlan = { maxDomains: seeded.maxDomains, maxMailboxes: seeded.maxMailboxes, maxAliases: seeded.maxAliases };
    browser = await launchChromium();
    base = `http://127.0.0.1:${stack.ports.dashboard}`;
    for (let i = 0; i < 3; i++) contexts.push(await personaContext(browser, base));
    [provider, customer, owner] = await Promise.all(contexts.map((c) => c.newPage()));
  });

  afterAll(async () => {
    await browser?.close();
    await dns?.close();
    if (stack) {
      await stack.stop();
      await rm(stack.dataDir, { recursive: true, force: true });
    }
  });

  it('sends a visitor without a session to the login page, and refuses a wrong password', async () => {
    await provider.goto('/overview');
    await provider.waitForURL(/\/login\?next=%2Foverview/);
    await provider.getByLabel('Email').fill(stack.adminEmail);
    await provider.getByLabel('Password').fill('not-the-password');
    await provider.getByRole('button', { name: 'Sign in' }).click();
    await expect(provider.getByRole('main').getByRole('alert').textContent()).resolves.toMatch(/wrong email or password/i);
    await checkedPage(provider, 'login-error');
  });

  it('provider: overview with figures and charts over time drawn from real data', async () => {
    // A message delivered over SMTP just now is today's received mail.
    await deliverOverSmtp({ port: stack.ports.smtp, to: OTHER_OWNER.email, subject: 'Hello from afar' });
    await signIn(provider, stack.adminEmail, stack.adminPassword);
    await provider.waitForURL(/\/overview$/);
    await provider.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await expect(provider.getByTestId('figure-blocked').textContent()).resolves.toMatch(/0/);

    const mail = provider.getByRole('figure', { name: 'Mail per day, last 30 days' });
    await expect(mail.getByRole('img').getAttribute('aria-label')).resolves.toBe('Mail per day, last 30 days: Sent 0 in total, Received 1 in total over 30 days.');
    await mail.getByText('Show as table').click();
    const today = new Date().toISOString().slice(0, 10);
    await expect(mail.getByRole('row', { name: today }).getByRole('cell').allTextContents()).resolves.toEqual(['0', '1']);
    // Counts over time (today's point is live), storage from the daily snapshot the API keeps.
    const counts = provider.getByRole('figure', { name: 'Tenants and mailboxes, last 30 days' });
    await expect(counts.getByRole('img').getAttribute('aria-label')).resolves.toContain('Tenants 1 now, Mailboxes 1 now');
    await expect(provider.getByRole('figure', { name: 'Storage used, last 30 days' }).getByRole('img').getAttribute('aria-label')).resolves.toMatch(/Storage \d+(\.\d)? (B|KB) now/);
    for (const name of ['Outbound queue, last 30 days', 'Abuse, last 30 days']) await provider.getByRole('figure', { name }).waitFor();
    // The API answers the same figures: one row per day, today's with the delivered message.
    const stats = await gqlOk<{ platformStats: { day: string; receivedMessages: number; tenants: number | null }[] }>(
      stack.ports.api,
      'query($f: String!, $t: String!) { platformStats(from: $f, to: $t) { day receivedMessages tenants } }',
      { f: today, t: today },
      providerToken,
    );
    expect(stats.platformStats).toEqual([{ day: today, receivedMessages: 1, tenants: expect.any(Number) }]);
    await checkedPage(provider, 'provider-overview');

    // Another period, chosen in the URL.
    await provider.getByRole('navigation', { name: 'Period' }).getByRole('link', { name: '7 days' }).click();
    await provider.waitForURL(/\/overview\?days=7$/);
    await provider.getByRole('figure', { name: 'Mail per day, last 7 days' }).waitFor();
  });

  it('provider: creates a plan (with validation) and edits its limits', async () => {
    await provider.goto('/plans');
    const form = provider.getByRole('region', { name: 'New plan' });
    await form.getByLabel('Plan name').fill('');
    await form.getByRole('button', { name: 'Create plan' }).click();
    await form.getByText('Enter a plan name.').waitFor();
    await expect(form.getByLabel('Plan name').getAttribute('aria-invalid')).resolves.toBe('true');

    await form.getByLabel('Plan name').fill('Starter');
    await form.getByLabel('Domains').fill('2');
    await form.getByLabel('Mailboxes').fill('5');
    await form.getByLabel('Aliases').fill('5');
    await form.getByLabel('Total storage').fill('5 GB');
    await form.getByLabel('Default mailbox quota').fill('100 MB');
    await form.getByLabel('Largest mailbox quota').fill('1 GB');
    await form.getByLabel('Largest message').fill('10 MB');
    await form.getByLabel('Per minute').fill('1');
    await form.getByLabel('Per hour').fill('0');
    await form.getByRole('button', { name: 'Create plan' }).click();
    await form.getByText('Per hour cannot be less than per minute.').waitFor();
    await form.getByLabel('Per hour').fill('10');
    await form.getByLabel('Per day').fill('20');
    await form.getByLabel('Recipients per message').fill('10');
    await form.getByRole('button', { name: 'Create plan' }).click();
    await form.getByText('Plan “Starter” created.').waitFor();
    const row = provider.getByRole('row', { name: /Starter/ });
    await row.waitFor();

    await row.getByRole('button', { name: 'Edit plan Starter' }).click();
    const edit = provider.getByRole('region', { name: 'Edit plan “Starter”' });
    await edit.getByLabel('Mailboxes').fill('6');
    await edit.getByRole('button', { name: 'Save plan' }).click();
    await edit.getByText('Plan “Starter” saved.').waitFor();
    await provider.getByRole('row', { name: /Starter/ }).getByRole('cell', { name: '6', exact: true }).waitFor();
    await checkedPage(provider, 'provider-plans');
  });

  it('provider: creates a tenant on that plan and its administrator', async () => {
    await provider.goto('/tenants');
    const form = provider.getByRole('region', { name: 'New tenant' });
    await form.getByRole('button', { name: 'Create tenant' }).click();
    await form.getByText('Enter the tenant’s name.').waitFor();
    await form.getByLabel('Tenant name').fill('Acme Corp');
    await form.getByLabel('Plan').selectOption({ label: 'Starter' });
    await form.getByLabel('Billing id (optional)').fill('cust-42');
    await form.getByRole('button', { name: 'Create tenant' }).click();
    await form.getByText('Tenant “Acme Corp” created.').waitFor();
    await provider.getByRole('row', { name: /Acme Corp/ }).waitFor();
    // Each tenant's usage against its own plan: nothing yet for the new one, a domain and a mailbox for the other.
    await expect.poll(() => cellsOf(provider.getByRole('row', { name: /Acme Corp/ })), POLL).toMatchObject({ Plan: 'Starter', Mailboxes: '0 of 6 (0%)', Domains: '0 of 2 (0%)', 'Storage allocated': '0 B of 5 GB (0%)' });
    await expect.poll(() => cellsOf(provider.getByRole('row', { name: /Other Customer/ })), POLL).toMatchObject({
      Plan: 'Default',
      Mailboxes: expect.stringMatching(new RegExp(`^1 of ${defaultPlan.maxMailboxes} \\(`)),
      Domains: expect.stringMatching(new RegExp(`^1 of ${defaultPlan.maxDomains} \\(`)),
    });
    await checkedPage(provider, 'provider-tenants');

    await form.getByRole('link', { name: 'Open Acme Corp' }).click();
    await provider.waitForURL(/\/tenants\/[0-9a-f-]{36}$/);
    ids.tenant = provider.url().split('/').pop()!;
    const admin = provider.getByRole('region', { name: 'New administrator' });
    await admin.getByLabel('Email').fill('not-an-email');
    await admin.getByLabel('Initial password').fill('short');
    await admin.getByRole('button', { name: 'Create administrator' }).click();
    await admin.getByText('The administrator’s email must look like name@example.com.').waitFor();
    await admin.getByText('The password needs at least 10 characters.').waitFor();
    await admin.getByLabel('Email').fill(CUSTOMER.email);
    await admin.getByLabel('Initial password').fill(CUSTOMER.password);
    await admin.getByRole('button', { name: 'Create administrator' }).click();
    await admin.getByText(`Administrator ${CUSTOMER.email} created.`, { exact: false }).waitFor();
    await provider.getByRole('cell', { name: CUSTOMER.email }).waitFor();
  });

  it('provider: changes the tenant’s plan (asked first) and sees the new limits, then moves it back', async () => {
    const usage = (plan: string) => provider.getByRole('region', { name: `Usage against plan “${plan}”` });
    await expect.poll(() => usageFigures(usage('Starter')), POLL).toEqual({ Domains: '0 of 2 (0%)', Mailboxes: '0 of 6 (0%)', Aliases: '0 of 5 (0%)', 'Storage allocated': '0 B of 5 GB (0%)' });
    const open = provider.getByRole('button', { name: 'Change plan' });
    // The tenant's own plan is chosen: nothing to change.
    await expect(open.isDisabled()).resolves.toBe(true);
    await provider.getByLabel('Plan', { exact: true }).selectOption({ label: 'Default' });
    await open.click();
    const dialog = provider.getByRole('dialog', { name: 'Move Acme Corp to “Default”?' });
    await dialog.getByText(`New limits: ${defaultPlan.maxDomains} domains, ${defaultPlan.maxMailboxes} mailboxes, ${defaultPlan.maxAliases} aliases`, { exact: false }).waitFor();
    await screenshot(provider, 'provider-tenant-change-plan');
    await dialog.getByRole('button', { name: 'Change plan' }).click();
    await usage('Default').waitFor();
    await expect.poll(() => usageFigures(usage('Default')), POLL).toMatchObject({
      Domains: `0 of ${defaultPlan.maxDomains} (0%)`,
      Mailboxes: `0 of ${defaultPlan.maxMailboxes} (0%)`,
      Aliases: `0 of ${defaultPlan.maxAliases} (0%)`,
    });
    const planOf = async () =>
      (await gqlOk<{ tenant: { plan: { name: string } } }>(stack.ports.api, 'query($id: ID!) { tenant(id: $id) { plan { name } } }', { id: ids.tenant }, providerToken)).tenant.plan.name;
    await expect(planOf()).resolves.toBe('Default');
    await provider.goto('/tenants');
    await expect.poll(() => cellsOf(provider.getByRole('row', { name: /Acme Corp/ })), POLL).toMatchObject({ Plan: 'Default', Mailboxes: `0 of ${defaultPlan.maxMailboxes} (0%)` });

    // Back on Starter (its small limits are what the rest of this file relies on).
    await provider.goto(`/tenants/${ids.tenant}`);
    await provider.getByLabel('Plan', { exact: true }).selectOption({ label: 'Starter' });
    await provider.getByRole('button', { name: 'Change plan' }).click();
    await provider.getByRole('dialog', { name: 'Move Acme Corp to “Starter”?' }).getByRole('button', { name: 'Change plan' }).click();
    await usage('Starter').waitFor();
    await expect.poll(() => usageFigures(usage('Starter')), POLL).toMatchObject({ Mailboxes: '0 of 6 (0%)' });
    await expect(planOf()).resolves.toBe('Starter');
  });

  it('provider: suspends and unsuspends the tenant with a reason, by keyboard, recorded in the audit log', async () => {
    const open = provider.getByRole('button', { name: 'Suspend tenant' });
    await open.focus();
    await provider.keyboard.press('Enter');
    const dialog = provider.getByRole('dialog', { name: 'Suspend Acme Corp?' });
    await dialog.waitFor();
    await provider.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect(open.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).resolves.toBe(true);

    await open.click();
    await dialog.getByRole('button', { name: 'Suspend', exact: true }).click();
    await dialog.getByText('Enter a reason; it is recorded in the audit log.').waitFor();
    await dialog.getByLabel('Reason (recorded in the audit log)').fill('Unpaid invoice 1001');
    await dialog.getByRole('button', { name: 'Suspend', exact: true }).click();
    await provider.getByText('Suspended: Unpaid invoice 1001.', { exact: false }).waitFor();
    await checkedPage(provider, 'provider-tenant-detail-suspended');

    await provider.getByRole('button', { name: 'Unsuspend tenant' }).click();
    await provider.getByRole('dialog', { name: 'Unsuspend Acme Corp?' }).getByRole('button', { name: 'Unsuspend' }).click();
    await provider.getByRole('button', { name: 'Suspend tenant' }).waitFor();

    await provider.getByRole('link', { name: 'Audit log' }).last().click();
    await provider.waitForURL(/\/audit\?tenant=/);
    await provider.getByRole('cell', { name: 'tenant.suspend' }).waitFor();
    await provider.getByRole('cell', { name: /Unpaid invoice 1001/ }).first().waitFor();
    // Filtered by tenant: that tenant's entries, none of the other's; and the other way round.
    const targets = () => provider.getByRole('table', { name: 'Entries' }).locator('td[data-label="Target"]').allTextContents();
    const named = async (name: string) => (await targets()).filter((t) => t.includes(name)).length;
    await expect(named('Acme Corp')).resolves.toBeGreaterThan(0);
    await expect(named('Other Customer')).resolves.toBe(0);
    await provider.getByLabel('Tenant', { exact: true }).selectOption({ label: 'Other Customer' });
    await provider.getByRole('button', { name: 'Filter' }).click();
    await provider.waitForURL(new RegExp(`tenant=${ids.otherTenant}`));
    await provider.getByRole('cell', { name: 'mailbox.create' }).waitFor();
    await expect(named('Other Customer')).resolves.toBeGreaterThan(0);
    await expect(named('Acme Corp')).resolves.toBe(0);
    await expect(provider.getByRole('cell', { name: 'tenant.suspend' }).count()).resolves.toBe(0);
    await provider.getByLabel('Tenant', { exact: true }).selectOption({ label: 'Acme Corp' });
    await provider.getByRole('button', { name: 'Filter' }).click();
    await provider.waitForURL(new RegExp(`tenant=${ids.tenant}`));
    await provider.getByRole('cell', { name: 'tenant.suspend' }).waitFor();
    // Filter by action (a prefix) and by actor.
    await provider.getByLabel('Action').fill('operator.');
    await provider.getByRole('button', { name: 'Filter' }).click();
    await provider.waitForURL(/action=operator\./);
    await provider.getByRole('cell', { name: 'operator.create' }).waitFor();
    await expect(provider.getByRole('cell', { name: 'tenant.suspend' }).count()).resolves.toBe(0);
    await provider.getByLabel('Actor').selectOption({ label: stack.adminEmail });
    await provider.getByLabel('Action').fill('');
    await provider.getByRole('button', { name: 'Filter' }).click();
    await provider.waitForURL(/actor=/);
    await provider.getByRole('cell', { name: 'tenant.unsuspend' }).waitFor();
    await checkedPage(provider, 'provider-audit');
  });

  it('provider: acts as the tenant admin (asked why, recorded in the audit log), confined to that tenant, then stops', async () => {
    await provider.goto(`/tenants/${ids.tenant}`);
    await provider.getByRole('button', { name: 'Act as tenant admin' }).click();
    const dialog = provider.getByRole('dialog', { name: 'Act as the administrator of Acme Corp?' });
    await dialog.getByRole('button', { name: 'Start acting' }).click();
    await dialog.getByText('Enter a reason; it is recorded in the audit log.').waitFor();
    await dialog.getByLabel('Reason (recorded in the audit log)').fill('Ticket 42: help with the DNS setup');
    await dialog.getByRole('button', { name: 'Start acting' }).click();
    await provider.waitForURL(new RegExp(`/t/${ids.tenant}$`));
    const banner = provider.getByTestId('act-as-banner');
    await expect(banner.textContent()).resolves.toContain('You are acting as the administrator of Acme Corp.');
    await expect(banner.textContent()).resolves.toContain('Ticket 42: help with the DNS setup');
    await expect(provider.getByTestId('provider-view-banner').count()).resolves.toBe(0);
    // The impersonation token sits in its own httpOnly cookie, beside the provider's session.
    const cookies = await contexts[0]!.cookies();
    expect(cookies.map((c) => c.name).sort()).toEqual(['darwin_acting', 'darwin_refresh_token', 'darwin_session']);
    const acting = cookies.find((c) => c.name === 'darwin_acting')!;
    expect(acting.httpOnly && acting.sameSite === 'Strict').toBe(true);

    // The start is in the audit log: the tenant's own log (as its admin sees it) and the API's.
    await provider.getByRole('navigation', { name: 'Tenant' }).getByRole('link', { name: 'Audit log' }).click();
    await provider.waitForURL(/\/audit$/);
    const started = provider.getByRole('row', { name: /tenant\.impersonate/ });
    await expect(started.textContent()).resolves.toContain(stack.adminEmail);
    await expect(started.textContent()).resolves.toContain('reason: Ticket 42: help with the DNS setup');
    await expect(started.textContent()).resolves.toContain('operator acting as tenant admin');
    await provider.getByTestId('act-as-banner').waitFor();
    await checkedPage(provider, 'provider-acting-as-tenant');
    const audit = await gqlOk<{ auditLog: { nodes: { tenantId: string; actorLabel: string; after: { reason: string }; impersonationId: string | null }[] } }>(
      stack.ports.api,
      '{ auditLog(action: "tenant.impersonate") { nodes { tenantId actorLabel after impersonationId } } }',
      {},
      providerToken,
    );
    expect(audit.auditLog.nodes).toEqual([{ tenantId: ids.tenant, actorLabel: stack.adminEmail, after: expect.objectContaining({ reason: 'Ticket 42: help with the DNS setup' }), impersonationId: expect.any(String) }]);

    // Acting is the tenant admin's view, nothing more: another tenant's pages and the console are not found.
    for (const path of [`/t/${ids.otherTenant}`, `/t/${ids.otherTenant}/domains/${ids.otherDomain}`, '/overview']) {
      const response = await provider.goto(path);
      expect(response?.status(), `acting as Acme's admin must not see ${path}`).toBe(404);
      expect(await isNotFound(provider), path).toBe(true);
    }

    // Stop acting: back in the console with the provider's own session.
    await provider.goto(`/t/${ids.tenant}/domains`);
    await provider.getByRole('button', { name: 'Stop acting' }).click();
    await provider.waitForURL(new RegExp(`/tenants/${ids.tenant}$`));
    await provider.getByRole('heading', { name: 'Acme Corp', level: 1 }).waitFor();
    expect((await contexts[0]!.cookies()).map((c) => c.name).sort()).toEqual(['darwin_refresh_token', 'darwin_session']);
    const ended = await gqlOk<{ auditLog: { nodes: { actorLabel: string }[] } }>(stack.ports.api, '{ auditLog(action: "tenant.impersonate.end") { nodes { actorLabel } } }', {}, providerToken);
    expect(ended.auditLog.nodes).toEqual([{ actorLabel: stack.adminEmail }]);
    // The old impersonation token is dead in the API, not just forgotten by the browser.
    expect((await gql(stack.ports.api, '{ me { id } }', {}, acting.value)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('customer: signs in, adds a domain and sees its DNS records with copy buttons and per-record state', async () => {
    await signIn(customer, CUSTOMER.email, CUSTOMER.password);
    await customer.waitForURL(new RegExp(`/t/${ids.tenant}$`));
    await expect(customer.getByTestId('act-as-banner').count()).resolves.toBe(0);
    const usage = customer.getByRole('region', { name: 'Usage against your plan “Starter”' });
    await expect.poll(() => usageFigures(usage), POLL).toEqual({
      Domains: '0 of 2 (0%)',
      Mailboxes: '0 of 6 (0%)',
      'Aliases and catch-alls': '0 of 5 (0%)',
      'Storage given to mailboxes': '0 B of 5 GB (0%)',
    });
    await checkedPage(customer, 'customer-overview');

    await customer.getByRole('navigation', { name: 'Tenant' }).getByRole('link', { name: 'Domains' }).click();
    await customer.getByText('No domains yet.', { exact: false }).waitFor();
    const form = customer.getByRole('region', { name: 'Add domain' });
    await form.getByLabel('Domain name').fill('someone@acme.test');
    await form.getByRole('button', { name: 'Add domain' }).click();
    await form.getByText('Enter only the domain', { exact: false }).waitFor();
    await form.getByLabel('Domain name').fill('acme.test');
    await form.getByRole('button', { name: 'Add domain' }).click();
    await form.getByText('Domain acme.test added.').waitFor();
    await customer.getByRole('link', { name: 'acme.test', exact: true }).waitFor();
    await checkedPage(customer, 'customer-domains');

    await form.getByRole('link', { name: 'Show the DNS records for acme.test' }).click();
    await customer.waitForURL(/\/domains\/[0-9a-f-]{36}$/);
    ids.domain = customer.url().split('/').pop()!;
    const mx = customer.getByTestId('dns-MX');
    await expect(mx.textContent()).resolves.toContain('mail.e2e.test');
    await expect(mx.textContent()).resolves.toContain('not checked');
    await customer.getByTestId('dns-DKIM').getByText('v=DKIM1', { exact: false }).waitFor();
    const value = async (kind: string) => (await customer.getByTestId(`dns-${kind}`).locator('code.dns-value').textContent())!;
    const name = async (kind: string) => (await customer.getByTestId(`dns-${kind}`).locator('dd code').first().textContent())!;

    // The copy buttons put exactly the shown name or value on the clipboard, and say so.
    await contexts[1]!.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const clipboard = () => customer.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
    for (const [button, expected] of [
      ['Copy the value of the DKIM record', await value('DKIM')],
      ['Copy the name of the DKIM record', await name('DKIM')],
      ['Copy the value of the MX record', await value('MX')],
    ] as const) {
      const copy = customer.getByRole('button', { name: button, exact: true });
      await copy.click();
      await customer.locator('.copy').filter({ has: copy }).getByRole('status').getByText('Copied', { exact: true }).waitFor();
      await expect.poll(clipboard, { message: button, timeout: 5000 }).toBe(expected);
    }
    // While it says "Copied", the button's visible text is still part of its name (axe: label-content-name-mismatch).
    const again = customer.getByRole('button', { name: 'Copy the value of the SPF record', exact: true });
    await again.click();
    await customer.locator('.copy').filter({ has: again }).getByRole('status').getByText('Copied', { exact: true }).waitFor();
    expect(await axeViolations(customer), 'axe right after copying').toEqual([]);
    await expect.poll(clipboard, { timeout: 5000 }).toBe(await value('SPF'));
    await customer.getByRole('button', { name: 'Check DNS now' }).click();
    await customer.getByText('Checked. Some required records are still missing or wrong.').waitFor();
    await expect(customer.getByTestId('dns-MX').textContent()).resolves.toContain('missing');
    await checkedPage(customer, 'customer-domain-dns-missing');

    // Publish the required records exactly as the page shows them (and a wrong DMARC first).
    const [mxPriority, mxHost] = (await value('MX')).split(' ');
    dns.set('acme.test', { MX: [{ priority: Number(mxPriority), exchange: mxHost!.replace(/\.$/, '') }], TXT: [await value('SPF')] });
    dns.set(await name('DKIM'), { TXT: [await value('DKIM')] });
    dns.set('_dmarc.acme.test', { TXT: ['v=spf1 wrong'] });
    await customer.getByRole('button', { name: 'Check DNS now' }).click();
    await customer.getByText('Checked. Some required records are still missing or wrong.').waitFor();
    await expect.poll(async () => customer.getByTestId('dns-MX').textContent()).toContain('verified');
    await expect(customer.getByTestId('dns-DMARC').textContent()).resolves.toMatch(/wrong value|missing/);
    dns.set('_dmarc.acme.test', { TXT: [await value('DMARC')] });
    await customer.getByRole('button', { name: 'Check DNS now' }).click();
    await customer.getByText('All required records were found: the domain is verified.').waitFor();
    await customer.getByText('DNS verified', { exact: true }).waitFor();
    await expect(customer.getByTestId('dns-AUTOCONFIG').textContent()).resolves.toContain('missing');
    await customer.getByRole('heading', { name: 'DKIM signing key' }).waitFor();
    await checkedPage(customer, 'customer-domain-dns');
  });

  it('customer: creates a mailbox (quota bar), an alias and a catch-all', async () => {
    await customer.getByRole('link', { name: 'Mailboxes' }).first().click();
    await customer.waitForURL(/\/mailboxes/);
    const form = customer.getByRole('region', { name: 'Create mailbox' });
    await form.getByLabel('Address (before the @)').fill('alice');
    await form.getByLabel('Password').fill('short');
    await form.getByLabel('Quota').fill('5 GB');
    await form.getByRole('button', { name: 'Create mailbox' }).click();
    await form.getByText('The password needs at least 10 characters.').waitFor();
    await form.getByText('At most 1 GB on your plan.').waitFor();
    await form.getByLabel('Password').fill(OWNER.password);
    await form.getByLabel('Quota').fill('200 MB');
    await form.getByLabel('Display name (optional)').fill('Alice Example');
    await form.getByRole('button', { name: 'Create mailbox' }).click();
    await form.getByText(`Mailbox ${OWNER.email} created.`).waitFor();
    const row = customer.getByRole('row', { name: new RegExp(OWNER.email) });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('0 B of 200 MB');
    await checkedPage(customer, 'customer-mailboxes');

    await customer.getByRole('navigation', { name: 'Tenant' }).getByRole('link', { name: 'Aliases' }).click();
    await customer.waitForURL(/\/aliases$/);
    const alias = customer.getByRole('region', { name: 'New alias' });
    await alias.getByLabel('Address (before the @)').fill('sales');
    await alias.getByLabel('Deliver to').fill('not an address');
    await alias.getByRole('button', { name: 'Create alias' }).click();
    await alias.getByText('“not” is not an email address.').waitFor();
    await alias.getByLabel('Deliver to').fill(`${OWNER.email}, boss@example.org`);
    await alias.getByRole('button', { name: 'Create alias' }).click();
    await alias.getByText('Alias sales@acme.test created.').waitFor();
    await alias.getByLabel('Catch-all for the whole domain').check();
    await alias.getByLabel('Deliver to').fill(OWNER.email);
    await alias.getByRole('button', { name: 'Create alias' }).click();
    await alias.getByText('Catch-all @acme.test created.').waitFor();
    await customer.getByRole('row', { name: /sales@acme\.test/ }).waitFor();
    await checkedPage(customer, 'customer-aliases');
  });

  it('customer: manages the mailbox (forwarding, suspending receiving, sending and login with their effect, vacation reply, password reset)', async () => {
    await customer.goto(`/t/${ids.tenant}/mailboxes`);
    await customer.getByRole('link', { name: OWNER.email }).click();
    await customer.waitForURL(/\/mailboxes\/[0-9a-f-]{36}$/);
    ids.mailbox = customer.url().split('/').pop()!;
    const forwarding = customer.getByRole('region', { name: 'Forwarding' });
    await forwarding.getByLabel('Forward to').fill('alice.private@example.org');
    await forwarding.getByRole('button', { name: 'Save forwarding' }).click();
    await forwarding.getByText('Mail is now forwarded to alice.private@example.org.').waitFor();
    const suspension = customer.getByRole('region', { name: 'Suspension' });
    const receiving = suspension.getByLabel('Receiving (incoming mail is refused)');
    const sending = suspension.getByLabel('Sending', { exact: true });
    const login = suspension.getByLabel('Login (IMAP, POP3, submission, self-service)');
    const save = suspension.getByRole('button', { name: 'Save suspension' });
    const state = customer.locator('.page-head .badges, .page-head > .badge');
    await receiving.check();
    await save.click();
    await suspension.getByText('Enter a reason while any suspension is on; it is recorded.').waitFor();
    await suspension.getByLabel('Reason').fill('Mailbox moving');
    await save.click();
    await suspension.getByText('Suspended: receiving.').waitFor();
    await expect.poll(() => state.textContent()).toBe('receiving suspended');
    // Mail for the mailbox is refused at RCPT.
    await expect(deliverOverSmtp({ port: stack.ports.smtp, to: OWNER.email, subject: 'While it is suspended' })).rejects.toThrow(/does not accept mail/);

    // Sending: the owner can still log in to submission, but the sender is refused.
    await receiving.uncheck();
    await sending.check();
    await save.click();
    await suspension.getByText('Suspended: sending.').waitFor();
    await expect.poll(() => state.textContent()).toBe('sending suspended');
    const submit = () => sendBurst({ port: stack.ports.submission, user: OWNER.email, pass: OWNER.password, to: 'someone@remote.example', count: 1 });
    expect(await submit()).toEqual([expect.stringMatching(/Sending is suspended for this mailbox/)]);
    await checkedPage(customer, 'customer-mailbox-sending-suspended');

    // Login: the right password no longer signs in, neither in the dashboard nor over SMTP.
    await sending.uncheck();
    await login.check();
    await save.click();
    await suspension.getByText('Suspended: login.').waitFor();
    await expect.poll(() => state.textContent()).toBe('login suspended');
    await owner.goto('/login');
    await owner.getByLabel('Email').fill(OWNER.email);
    await owner.getByLabel('Password').fill(OWNER.password);
    await owner.getByRole('button', { name: 'Sign in' }).click();
    await expect(owner.getByRole('main').getByRole('alert').textContent()).resolves.toMatch(/wrong email or password/i);
    expect(new URL(owner.url()).pathname).toBe('/login');
    expect(await submit()).toEqual([expect.stringMatching(/Authentication credentials invalid/)]);
    // The list shows the state too.
    await customer.goto(`/t/${ids.tenant}/mailboxes`);
    await expect(customer.getByRole('row', { name: new RegExp(OWNER.email) }).locator('td[data-label="State"]').textContent()).resolves.toBe('login suspended');
    await customer.goto(`/t/${ids.tenant}/mailboxes/${ids.mailbox}`);
    await login.uncheck();
    await save.click();
    await suspension.getByText('No suspension is on.').waitFor();
    await expect.poll(() => state.textContent()).toBe('active');

    // The vacation reply, set by the administrator (with its dates checked).
    const vacation = customer.getByRole('region', { name: 'Vacation reply' });
    await vacation.getByText('Off.', { exact: true }).waitFor();
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    await vacation.getByLabel('Reply automatically to incoming mail').check();
    await vacation.getByLabel('Subject').fill('Out of the office');
    await vacation.getByLabel('First day (optional)').fill(day(0));
    await vacation.getByLabel('Last day (optional)').fill(day(-1));
    await vacation.getByRole('button', { name: 'Save vacation reply' }).click();
    await vacation.getByText('Enter the text of the reply.').waitFor();
    await vacation.getByText('The last day cannot be before the first.').waitFor();
    await vacation.getByLabel('Message').fill('Alice is out of the office this week.');
    await vacation.getByLabel('Last day (optional)').fill(day(7));
    await vacation.getByRole('button', { name: 'Save vacation reply' }).click();
    await vacation.getByText('The vacation reply is on.').waitFor();
    await vacation.getByText(`On until ${day(7)}: “Out of the office”.`).waitFor();
    const { mailbox } = await gqlOk<{ mailbox: { vacation: { enabled: boolean; subject: string; body: string; startsAt: string; endsAt: string } } }>(
      stack.ports.api,
      'query($id: ID!) { mailbox(id: $id) { vacation { enabled subject body startsAt endsAt } } }',
      { id: ids.mailbox },
      providerToken,
    );
    expect(mailbox.vacation).toEqual({
      enabled: true,
      subject: 'Out of the office',
      body: 'Alice is out of the office this week.',
      startsAt: expect.stringMatching(new RegExp(`^${day(0)}T00:00:00`)),
      endsAt: expect.stringMatching(new RegExp(`^${day(7)}T23:59:59`)),
    });
    const reset = customer.getByRole('region', { name: 'Reset password' });
    await reset.getByLabel('New password', { exact: true }).fill('another-password-1');
    await reset.getByLabel('New password again').fill('different-password');
    await reset.getByRole('button', { name: 'Reset password' }).click();
    await reset.getByText('The two passwords differ.').waitFor();
    await reset.getByLabel('New password', { exact: true }).fill(OWNER.password);
    await reset.getByLabel('New password again').fill(OWNER.password);
    await reset.getByRole('button', { name: 'Reset password' }).click();
    await reset.getByText(`The password of ${OWNER.email} was reset.`).waitFor();
    await checkedPage(customer, 'customer-mailbox-detail');
  });

  it('customer: deleting a mailbox asks to type its address; cancelled once, then confirmed', async () => {
    await customer.goto(`/t/${ids.tenant}/mailboxes`);
    const form = customer.getByRole('region', { name: 'Create mailbox' });
    await form.getByLabel('Address (before the @)').fill('leaver');
    await form.getByLabel('Password').fill('leaver-password-1');
    await form.getByRole('button', { name: 'Create mailbox' }).click();
    await form.getByText('Mailbox leaver@acme.test created.').waitFor();
    await customer.getByRole('link', { name: 'leaver@acme.test' }).click();
    await customer.waitForURL(/\/mailboxes\/[0-9a-f-]{36}$/);
    const leaver = customer.url().split('/').pop()!;
    const exists = async () => !(await gql(stack.ports.api, 'query($id: ID!) { mailbox(id: $id) { id } }', { id: leaver }, providerToken)).errors;

    const open = customer.getByRole('button', { name: 'Delete mailbox', exact: true });
    const dialog = customer.getByRole('dialog', { name: 'Delete leaver@acme.test?' });
    const typed = dialog.getByLabel('Type leaver@acme.test to confirm');
    const confirm = dialog.getByRole('button', { name: 'Delete mailbox and its mail' });
    await open.click();
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await typed.fill('leaver');
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await screenshot(customer, 'customer-mailbox-delete-confirm');
    // Cancelled: nothing happens, and the dialog forgets what was typed.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect(exists()).resolves.toBe(true);
    await customer.reload();
    await customer.getByRole('heading', { name: 'leaver@acme.test', level: 1 }).waitFor();
    await open.click();
    await expect(typed.inputValue()).resolves.toBe('');
    await typed.fill('leaver@acme.test');
    await confirm.click();
    await customer.waitForURL(new RegExp(`/t/${ids.tenant}/mailboxes$`));
    await customer.getByRole('link', { name: OWNER.email }).waitFor();
    await expect(customer.getByRole('link', { name: 'leaver@acme.test' }).count()).resolves.toBe(0);
    await expect(exists()).resolves.toBe(false);
  });

  it('customer: the overview shows usage against the plan: the domain, the mailbox, both aliases and the quota given', async () => {
    await customer.getByRole('navigation', { name: 'Tenant' }).getByRole('link', { name: 'Overview' }).click();
    await customer.waitForURL(new RegExp(`/t/${ids.tenant}$`));
    const usage = customer.getByRole('region', { name: 'Usage against your plan “Starter”' });
    await expect.poll(() => usageFigures(usage), POLL).toEqual({
      Domains: '1 of 2 (50%)',
      Mailboxes: '1 of 6 (17%)',
      'Aliases and catch-alls': '2 of 5 (40%)',
      'Storage given to mailboxes': '200 MB of 5 GB (4%)',
    });
    await expect(usage.textContent()).resolves.toContain('0 B actually stored in 0 messages.');
    await checkedPage(customer, 'customer-overview-usage');
  });

  it('customer: creates an API key shown once, which works against the API, and revokes another', async () => {
    await customer.getByRole('navigation', { name: 'Tenant' }).getByRole('link', { name: 'API keys' }).click();
    await customer.waitForURL(/\/api-keys$/);
    await customer.getByText('No API keys yet.').waitFor();
    const form = customer.getByRole('region', { name: 'New API key' });
    await form.getByRole('button', { name: 'Create key' }).click();
    await form.getByText('Enter a name for the key.').waitFor();
    await form.getByLabel('Name').fill('billing');
    await form.getByRole('button', { name: 'Create key' }).click();
    const shown = customer.getByTestId('new-api-key');
    await shown.waitFor();
    const key = (await shown.locator('code.secret-value').textContent())!;
    expect(key).toMatch(/^dmk_[A-Za-z0-9_-]+$/);
    await checkedPage(customer, 'customer-api-keys-created');
    // The key acts as the tenant's admin.
    const res = await gqlOk<{ tenants: { nodes: { name: string }[] } }>(stack.ports.api, '{ tenants { nodes { name } } }', {}, key);
    expect(res.tenants.nodes.map((t) => t.name)).toEqual(['Acme Corp']);
    await form.getByRole('button', { name: 'I have copied it' }).click();
    await expect(shown.count()).resolves.toBe(0);
    // The list shows only the prefix; a reload never shows the key again.
    await customer.reload();
    await customer.getByRole('row', { name: /billing/ }).waitFor();
    expect(await customer.content()).not.toContain(key);

    await form.getByLabel('Name').fill('old-script');
    await form.getByRole('button', { name: 'Create key' }).click();
    const second = (await customer.getByTestId('new-api-key').locator('code.secret-value').textContent())!;
    await customer.getByRole('button', { name: 'Revoke key old-script' }).click();
    await customer.getByRole('dialog', { name: 'Revoke the key “old-script”?' }).getByRole('button', { name: 'Revoke key' }).click();
    await customer.getByRole('row', { name: /old-script/ }).getByText('revoked').waitFor();
    const refused = await gql(stack.ports.api, '{ tenants { nodes { name } } }', {}, second);
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('customer: the tenant audit log shows only this tenant', async () => {
    await customer.getByRole('navigation', { name: 'Tenant' }).getByRole('link', { name: 'Audit log' }).click();
    await customer.waitForURL(/\/audit$/);
    await customer.getByRole('cell', { name: 'api_key.revoke' }).waitFor();
    await customer.getByRole('cell', { name: 'mailbox.create' }).first().waitFor();
    await customer.getByRole('cell', { name: 'mailbox.delete' }).waitFor();
    await expect(customer.getByRole('cell', { name: 'plan.create' }).count()).resolves.toBe(0);
    await checkedPage(customer, 'customer-audit');
  });

  it('provider: the tenants list shows each tenant’s usage against its plan, as the API counts it', async () => {
    await provider.goto('/tenants');
    const acme = await cellsOf(provider.getByRole('row', { name: /Acme Corp/ }));
    expect(acme).toMatchObject({ Plan: 'Starter', Mailboxes: '1 of 6 (17%)', Domains: '1 of 2 (50%)', 'Storage allocated': '200 MB of 5 GB (4%)', Stored: '0 B' });
    const other = await cellsOf(provider.getByRole('row', { name: /Other Customer/ }));
    expect(other).toMatchObject({
      Plan: 'Default',
      Mailboxes: expect.stringMatching(new RegExp(`^1 of ${defaultPlan.maxMailboxes} \\(`)),
      Domains: expect.stringMatching(new RegExp(`^1 of ${defaultPlan.maxDomains} \\(`)),
    });
    // The message delivered to the other tenant is stored there.
    expect(other['Stored']).toMatch(/^(?!0 B$)\d+(\.\d)? (B|KB)$/);
    const { tenants } = await gqlOk<{ tenants: { nodes: { name: string; usage: Record<'mailboxes' | 'domains', { used: number; limit: number }> }[] } }>(
      stack.ports.api,
      '{ tenants { nodes { name usage { mailboxes { used limit } domains { used limit } } } } }',
      {},
      providerToken,
    );
    for (const t of tenants.nodes) {
      const row = await cellsOf(provider.getByRole('row', { name: new RegExp(t.name) }));
      expect(row['Mailboxes'], t.name).toMatch(new RegExp(`^${t.usage.mailboxes.used} of ${t.usage.mailboxes.limit} `));
      expect(row['Domains'], t.name).toMatch(new RegExp(`^${t.usage.domains.used} of ${t.usage.domains.limit} `));
    }
  });

  it('owner: signs in with the address, sees quota and the operators’ actions, sets up a mail app', async () => {
    await signIn(owner, OWNER.email, OWNER.password);
    await owner.waitForURL(/\/mailbox$/);
    await owner.getByRole('heading', { name: OWNER.email }).waitFor();
    await expect(owner.getByRole('region', { name: 'Storage' }).textContent()).resolves.toContain('0 B of 200 MB');
    const changes = owner.getByRole('region', { name: 'Changes made by your administrators' });
    await changes.getByRole('cell', { name: 'Password reset by an administrator' }).waitFor();
    await changes.getByRole('cell', { name: 'Forwarding changed' }).waitFor();
    await changes.getByRole('cell', { name: 'Vacation reply changed' }).waitFor();
    await changes.getByRole('cell', { name: 'Suspension changed' }).first().waitFor();
    // What the administrator set is what the owner sees now.
    const now = owner.getByRole('region', { name: 'Settings now' });
    await expect(now.textContent()).resolves.toContain('Forwardingalice.private@example.org');
    await expect(now.textContent()).resolves.toContain('Vacation replyon: “Out of the office”');
    await owner.getByRole('region', { name: 'Recent sign-ins' }).getByRole('row').nth(1).waitFor();
    await checkedPage(owner, 'owner-overview');

    await owner.getByRole('link', { name: 'Mail app setup' }).click();
    await owner.waitForURL(/\/mailbox\/setup$/);
    const manual = owner.getByRole('region', { name: 'By hand' });
    await manual.getByRole('cell', { name: 'mail.e2e.test' }).first().waitFor();
    await manual.getByRole('cell', { name: String(stack.ports.imaps), exact: true }).waitFor();
    await manual.getByRole('cell', { name: String(stack.ports.submission), exact: true }).waitFor();
    const [download] = await Promise.all([owner.waitForEvent('download'), owner.getByRole('link', { name: 'Download the Apple profile' }).click()]);
    expect(download.suggestedFilename()).toBe(`${OWNER.email}.mobileconfig`);
    const profile = await (await download.createReadStream()).toArray();
    expect(Buffer.concat(profile).toString('utf8')).toContain('<key>IncomingMailServerHostName</key>');
    await checkedPage(owner, 'owner-setup');
  });

  it('owner: changes the password (wrong current password refused), its forwarding and its vacation reply', async () => {
    await owner.getByRole('navigation', { name: 'Mailbox' }).getByRole('link', { name: 'Settings' }).click();
    await owner.waitForURL(/\/mailbox\/settings$/);
    const pw = owner.getByRole('region', { name: 'Change password' });
    await pw.getByLabel('Current password').fill('not-my-password');
    await pw.getByLabel('New password', { exact: true }).fill(OWNER.newPassword);
    await pw.getByLabel('New password again').fill(OWNER.newPassword);
    await pw.getByRole('button', { name: 'Change password' }).click();
    await pw.getByText('Current password is wrong').waitFor();
    await pw.getByLabel('Current password').fill(OWNER.password);
    await pw.getByRole('button', { name: 'Change password' }).click();
    await pw.getByText('Your password was changed.', { exact: false }).waitFor();
    // The old password is gone, the new one works, and this browser is still signed in.
    expect((await gql(stack.ports.api, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: OWNER.email, p: OWNER.password })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await apiToken(stack.ports.api, OWNER.email, OWNER.newPassword);

    // Forwarding: the administrator's setting is shown; the owner replaces it (not with itself).
    const forwarding = owner.getByRole('region', { name: 'Forwarding' });
    await forwarding.getByText('Now forwarding to alice.private@example.org.').waitFor();
    await forwarding.getByLabel('Forward to').fill(OWNER.email);
    await forwarding.getByRole('button', { name: 'Save forwarding' }).click();
    await forwarding.getByText('A mailbox cannot forward to itself.').waitFor();
    await forwarding.getByLabel('Forward to').fill('alice@home.example');
    await forwarding.getByLabel('Keep a copy in this mailbox').check();
    await forwarding.getByRole('button', { name: 'Save forwarding' }).click();
    await forwarding.getByText('Mail is now forwarded to alice@home.example.').waitFor();
    await forwarding.getByText('Now forwarding to alice@home.example.').waitFor();
    const { mailbox } = await gqlOk<{ mailbox: { forwarding: { addresses: string[]; keepCopy: boolean } } }>(
      stack.ports.api,
      'query($id: ID!) { mailbox(id: $id) { forwarding { addresses keepCopy } } }',
      { id: ids.mailbox },
      providerToken,
    );
    expect(mailbox.forwarding).toEqual({ addresses: ['alice@home.example'], keepCopy: true });

    // The vacation reply the administrator set is there; the owner rewrites it.
    const vacation = owner.getByRole('region', { name: 'Vacation reply' });
    await expect(vacation.getByLabel('Subject').inputValue()).resolves.toBe('Out of the office');
    await expect(vacation.getByLabel('Reply automatically to incoming mail').isChecked()).resolves.toBe(true);
    await vacation.getByLabel('Subject').fill('');
    await vacation.getByLabel('Message').fill('');
    await vacation.getByRole('button', { name: 'Save vacation reply' }).click();
    await vacation.getByText('Enter a subject for the reply.').waitFor();
    await vacation.getByText('Enter the text of the reply.').waitFor();
    await vacation.getByLabel('Subject').fill('Away until Monday');
    await vacation.getByLabel('Message').fill('I am away and will answer on Monday.');
    await vacation.getByRole('button', { name: 'Save vacation reply' }).click();
    await vacation.getByText('The vacation reply is on.').waitFor();
    await owner.reload();
    await expect(owner.getByRole('region', { name: 'Vacation reply' }).getByLabel('Subject').inputValue()).resolves.toBe('Away until Monday');
    await expect(owner.getByRole('region', { name: 'Forwarding' }).getByLabel('Forward to').inputValue()).resolves.toBe('alice@home.example');
    await expect(owner.getByRole('region', { name: 'Forwarding' }).getByLabel('Keep a copy in this mailbox').isChecked()).resolves.toBe(true);
    await checkedPage(owner, 'owner-settings');
    await owner.getByRole('navigation', { name: 'Mailbox' }).getByRole('link', { name: 'Overview' }).click();
    await owner.waitForURL(/\/mailbox$/);
    const now = owner.getByRole('region', { name: 'Settings now' });
    await expect.poll(() => now.textContent()).toContain('Forwardingalice@home.example');
    await expect(now.textContent()).resolves.toContain('Vacation replyon: “Away until Monday”');
  });

  it('console: a burst block appears live without reloading, with its figures, and is released', async () => {
    await provider.goto('/abuse');
    await provider.getByTestId('live-indicator').and(provider.locator('[data-connected="true"]')).waitFor();
    await provider.getByText('No mailbox is blocked.').waitFor();
    await provider.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));
    // The same stream for the others: Acme's admin and the blocked mailbox's owner must get the
    // block, the other tenant's mailbox owner must not.
    const elsewhere = await personaContext(browser, base);
    const otherOwner = await elsewhere.newPage();
    await signIn(otherOwner, OTHER_OWNER.email, OTHER_OWNER.password);
    await owner.goto('/mailbox');
    for (const page of [customer, owner, otherOwner]) await listenToEvents(page, 'MAILBOX_BLOCKED');

    // The plan allows 1 message a minute; with a burst factor of 2 the third attempt blocks.
    const outcomes = await sendBurst({ port: stack.ports.submission, user: OWNER.email, pass: OWNER.newPassword, to: 'someone@remote.example', count: 4 });
    expect(outcomes[0]).toBe('ok');
    expect(outcomes.slice(2).every((o) => o !== 'ok')).toBe(true);

    const row = provider.getByRole('region', { name: 'Blocked mailboxes' }).getByRole('row', { name: new RegExp(OWNER.email) });
    await row.waitFor({ timeout: 15_000 });
    await provider.getByTestId('abuse-announcement').getByText('A mailbox was just blocked for a sending burst.').waitFor();
    await expect(provider.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).resolves.toBe(true);
    const blocked = { __typename: 'MailboxBlockedEvent', mailboxId: ids.mailbox, tenantId: ids.tenant, abuseEventId: expect.any(String) };
    await expect.poll(() => receivedEvents(customer), { timeout: 10_000 }).toEqual([blocked]);
    await expect.poll(() => receivedEvents(owner), { timeout: 10_000 }).toEqual([blocked]);
    expect(await receivedEvents(otherOwner)).toEqual([]);
    await elsewhere.close();
    const events = provider.getByRole('region', { name: 'Abuse events' });
    await events.getByRole('cell', { name: 'Sending burst' }).waitFor();
    await expect(events.textContent()).resolves.toMatch(/Attempts last minute\s*3/);
    await checkedPage(provider, 'provider-abuse-live-block');

    await provider.goto('/overview');
    await expect(provider.getByTestId('figure-blocked').textContent()).resolves.toMatch(/1 mailboxes blocked/);
    await provider.goto('/abuse');
    await provider.getByRole('button', { name: `Release ${OWNER.email}` }).click();
    await provider.getByRole('dialog', { name: `Release ${OWNER.email}?` }).getByRole('button', { name: 'Release mailbox' }).click();
    await provider.getByText('No mailbox is blocked.').waitFor();
  });

  it('console: the outbound queue filters, retries and deletes', async () => {
    await provider.goto('/queue');
    const row = provider.getByRole('row', { name: /someone@remote\.example/ }).first();
    await row.waitFor();
    await provider.getByLabel('State').selectOption('sent');
    await provider.getByRole('button', { name: 'Filter' }).click();
    await provider.waitForURL(/state=sent/);
    await provider.getByText('No message matches these filters.').waitFor();
    await provider.goto('/queue?q=remote.example');
    await provider.getByRole('button', { name: 'Retry now (to someone@remote.example)' }).first().click();
    await provider.getByText('Delivery to someone@remote.example will be tried now.').waitFor();
    await checkedPage(provider, 'provider-queue');
    const before = await provider.getByRole('button', { name: /Delete the message to/ }).count();
    await provider.getByRole('button', { name: 'Delete the message to someone@remote.example' }).first().click();
    await provider.getByRole('dialog', { name: 'Delete the message to someone@remote.example?' }).getByRole('button', { name: 'Delete message' }).click();
    await provider.getByText('The message to someone@remote.example was cancelled.').waitFor();
    await expect.poll(() => provider.getByRole('button', { name: /Delete the message to/ }).count()).toBe(before - 1);
  });

  it('has a direct-URL case for every page and route handler under apps/dashboard/src/app, for every persona', async () => {
    const any = { tenant: 't', domain: 'd', mailbox: 'm', otherTenant: 'ot', otherDomain: 'od', otherMailbox: 'om' };
    const pages = pageAccess(any);
    expect(Object.keys(pages).sort(), 'pages in e2e/dashboard/support/access.ts vs page.tsx files').toEqual((await pageRoutes()).sort());
    for (const [route, byPersona] of Object.entries(pages)) {
      for (const persona of PERSONAS) {
        const access = byPersona[persona];
        expect(Boolean(access?.see) || Boolean(access?.refused?.length), `${persona} on ${route}`).toBe(true);
      }
    }
    const handlers = handlerAccess(any);
    expect(Object.keys(handlers).sort(), 'route handlers in e2e/dashboard/support/access.ts vs route.ts files').toEqual(await routeHandlers());
    for (const [handler, cases] of Object.entries(handlers)) expect(cases.some((c) => c.who === 'visitor'), `${handler} without a session`).toBe(true);
  });

  for (const persona of PERSONAS) {
    it(`no persona reaches a page it should not see by direct URL: ${persona}`, async () => {
      const { page, done } = await pageOf(persona);
      try {
        const pages = pageAccess(ids);
        for (const [route, byPersona] of Object.entries(pages)) await expectPageAccess(page, persona, route, byPersona[persona]);
        if (persona === 'customer') await screenshot(page, 'customer-not-found');
        for (const [handler, cases] of Object.entries(handlerAccess(ids))) {
          for (const c of cases.filter((x) => x.who === persona)) await expectHandlerAccess(page, handler, c);
        }
        if (persona === 'visitor') {
          expect((await page.context().cookies()).map((c) => c.name), 'a visitor never gets a session').toEqual([]);
        } else {
          // The profile of a mailbox this persona may see is there (so the 404s above are refusals).
          const profileOf = persona === 'provider' ? ids.otherMailbox : ids.mailbox;
          const profile = await page.request.get(`/api/mailboxes/${profileOf}/mobileconfig`);
          expect(profile.status(), `${persona}: profile of ${profileOf}`).toBe(200);
        }
      } finally {
        await done();
      }
    });
  }

  /** A page in the browser of that persona; the visitor and the acting provider get a browser of their own. */
  async function pageOf(persona: Persona): Promise<{ page: Page; done: () => Promise<void> }> {
    if (persona === 'provider') return { page: provider, done: async () => {} };
    if (persona === 'customer') return { page: customer, done: async () => {} };
    if (persona === 'owner') return { page: owner, done: async () => {} };
    const context = await personaContext(browser, base);
    const page = await context.newPage();
    if (persona === 'visitor') return { page, done: () => context.close() };
    await signIn(page, stack.adminEmail, stack.adminPassword);
    const started = await page.request.post('/api/session/acting', { data: { tenantId: ids.tenant, reason: 'Direct-URL access test' } });
    expect(started.status(), await started.text()).toBe(200);
    return {
      page,
      done: async () => {
        expect((await page.request.delete('/api/session/acting')).status()).toBe(204);
        await context.close();
      },
    };
  }

  async function expectPageAccess(page: Page, persona: Persona, route: string, access: Access): Promise<void> {
    if (access.see) {
      const response = await page.goto(access.see);
      const where = `${persona} opens ${access.see} (${route})`;
      expect(response?.status(), where).toBe(200);
      expect(await isNotFound(page), where).toBe(false);
      const landed = new URL(page.url()).pathname;
      if (persona === 'visitor') expect(landed, where).toBe(access.see);
      else expect(landed, where).not.toBe('/login');
    }
    for (const path of access.refused ?? []) {
      const where = `${persona} must not see ${path} (${route})`;
      const response = await page.goto(path);
      if (persona === 'visitor') {
        // Without a session: the login page, which comes back here afterwards.
        const landed = new URL(page.url());
        expect(landed.pathname, where).toBe('/login');
        expect(landed.searchParams.get('next'), where).toBe(path);
        await page.getByRole('button', { name: 'Sign in' }).waitFor();
      } else {
        expect(response?.status(), where).toBe(404);
        await expectNotFoundPage(page, where);
      }
    }
  }

  /** The 404 page is what shows (its heading may arrive a moment after the status). */
  async function expectNotFoundPage(page: Page, where: string): Promise<void> {
    try {
      await page.getByRole('heading', { name: 'Not found', level: 1 }).waitFor({ timeout: 10_000 });
    } catch {
      await screenshot(page, `unexpected-${where.replace(/[^a-z0-9]+/gi, '-').slice(0, 120)}`);
      expect.fail(`${where}: expected the 404 page, got ${page.url()} with headings ${JSON.stringify(await page.locator('h1').allTextContents())}`);
    }
  }

  async function expectHandlerAccess(page: Page, handler: string, c: HandlerCase): Promise<void> {
    const method = handler.split(' ')[0]!;
    const where = `${c.who}: ${method} ${c.path}`;
    if (c.landsOn) {
      expect(method, where).toBe('GET');
      await page.goto(c.path);
      expect(page.url(), where).toMatch(c.landsOn);
      return;
    }
    const response = await page.request.fetch(c.path, { method, maxRedirects: 0, ...(c.body === undefined ? {} : { data: c.body }) });
    if (c.status !== undefined) expect(response.status(), where).toBe(c.status);
    if (c.code) {
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      expect(c.code, `${where}: ${JSON.stringify(body)}`).toContain(body.errors?.[0]?.extensions?.code);
    }
  }

  it('keeps the session alive with the refresh token when the access token is gone, expired or refused', async () => {
    const cookieNames = async () => (await contexts[1]!.cookies()).map((c) => c.name).sort();
    expect(await cookieNames()).toEqual(['darwin_refresh_token', 'darwin_session']);
    const cookies = await contexts[1]!.cookies();
    const oldAccess = cookies.find((c) => c.name === 'darwin_session')!;
    const refreshCookie = cookies.find((c) => c.name === 'darwin_refresh_token')!;
    expect(oldAccess.httpOnly && refreshCookie.httpOnly).toBe(true);
    expect(refreshCookie.sameSite).toBe('Strict');

    // 1. No access token at all: the proxy renews it before the page renders.
    await contexts[1]!.clearCookies({ name: 'darwin_session' });
    await customer.goto(`/t/${ids.tenant}/domains`);
    await customer.getByRole('link', { name: 'acme.test', exact: true }).waitFor();
    const renewed = (await contexts[1]!.cookies()).find((c) => c.name === 'darwin_session')!;
    expect(renewed.value).not.toBe(oldAccess.value);

    // 2. A token that looks valid for an hour but that the API refuses (a forged signature):
    //    the page goes through /api/session/refresh and comes back.
    const forged = forgeToken(renewed.value);
    await contexts[1]!.addCookies([{ ...renewed, value: forged }]);
    await customer.goto(`/t/${ids.tenant}/aliases`);
    await customer.waitForURL(new RegExp(`/t/${ids.tenant}/aliases$`));
    await customer.getByRole('row', { name: /sales@acme\.test/ }).waitFor();

    // 3. The same refused token on a GraphQL call from the page: the proxy renews and retries once.
    const current = (await contexts[1]!.cookies()).find((c) => c.name === 'darwin_session')!;
    await contexts[1]!.addCookies([{ ...current, value: forgeToken(current.value) }]);
    await customer.getByRole('button', { name: 'Disable alias sales@acme.test' }).click();
    await customer.getByRole('button', { name: 'Enable alias sales@acme.test' }).waitFor();

    // 4. Signing out ends the refresh token in the API too.
    const lastRefresh = (await contexts[1]!.cookies()).find((c) => c.name === 'darwin_refresh_token')!.value;
    await customer.getByRole('button', { name: 'Sign out' }).click();
    await customer.waitForURL(/\/login/);
    expect(await cookieNames()).toEqual([]);
    const reuse = await gql(stack.ports.api, 'mutation($r: String!) { refresh(refreshToken: $r) { token } }', { r: lastRefresh });
    expect(reuse.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  const phonePages = () =>
    [
      {
        who: 'provider',
        email: stack.adminEmail,
        password: stack.adminPassword,
        pages: [
          ['/overview', 'phone-provider-overview'],
          ['/tenants', 'phone-provider-tenants'],
          [`/tenants/${ids.tenant}`, 'phone-provider-tenant-detail'],
          ['/audit', 'phone-provider-audit'],
          ['/plans', 'phone-provider-plans'],
          ['/queue', 'phone-provider-queue'],
          [`/t/${ids.tenant}/domains/${ids.domain}`, 'phone-domain-dns'],
          [`/t/${ids.tenant}/mailboxes/${ids.mailbox}`, 'phone-mailbox-detail'],
        ],
      },
      {
        who: 'customer',
        email: CUSTOMER.email,
        password: CUSTOMER.password,
        pages: [
          [`/t/${ids.tenant}`, 'phone-customer-overview'],
          [`/t/${ids.tenant}/mailboxes`, 'phone-customer-mailboxes'],
          [`/t/${ids.tenant}/mailboxes/${ids.mailbox}`, 'phone-customer-mailbox-detail'],
          [`/t/${ids.tenant}/aliases`, 'phone-customer-aliases'],
          [`/t/${ids.tenant}/api-keys`, 'phone-customer-api-keys'],
        ],
      },
      {
        who: 'owner',
        email: OWNER.email,
        password: OWNER.newPassword,
        pages: [
          ['/mailbox', 'phone-owner-overview'],
          ['/mailbox/settings', 'phone-owner-settings'],
          ['/mailbox/setup', 'phone-owner-setup'],
        ],
      },
    ] as const;

  for (const who of ['provider', 'customer', 'owner'] as const) {
    it(`works at phone width: ${who}`, async () => {
      const persona = phonePages().find((p) => p.who === who)!;
      const phone = await personaContext(browser, base, { phone: true });
      try {
        const page = await phone.newPage();
        await signIn(page, persona.email, persona.password);
        for (const [path, name] of persona.pages) {
          const response = await page.goto(path);
          expect(response?.status(), `${who}: ${path}`).toBe(200);
          expect(await isNotFound(page), `${who}: ${path}`).toBe(false);
          await page.waitForLoadState('networkidle');
          // Against the phone's width, not innerWidth: a mobile browser widens innerWidth to fit content that overflows.
          const width = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
          expect(width, `${who}: ${path} is wider than the phone`).toBeLessThanOrEqual(page.viewportSize()!.width);
          await screenshot(page, name);
        }
      } finally {
        await phone.close();
      }
    });
  }
});

/** The same claims with a broken signature: readable by the dashboard, refused by the API. */
function forgeToken(token: string): string {
  const [header, payload] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, number>;
  const now = Math.floor(Date.now() / 1000);
  const forgedPayload = Buffer.from(JSON.stringify({ ...claims, iat: now, exp: now + 3600 })).toString('base64url');
  return `${header}.${forgedPayload}.${Buffer.from('not-the-signature').toString('base64url')}`;
}
