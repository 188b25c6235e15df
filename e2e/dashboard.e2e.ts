import { rm } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiToken, createMailbox, createTenantWithDomain } from './dashboard/support/api.js';
import { axeViolations } from './dashboard/support/axe.js';
import { isNotFound, launchChromium, personaContext, screenshot, signIn } from './dashboard/support/browser.js';
import { deliverOverSmtp } from './dashboard/support/deliver-over-smtp.js';
import { sendBurst } from './dashboard/support/send-burst.js';
import { FakeDns } from '../tools/test-support/fake-dns.js';
import { freePort } from '../tools/test-support/free-port.js';
import { gql, gqlOk } from './support/graphql.js';
import { startStack, type Stack } from './support/start-stack.js';

/**
 * The dashboard in the system Chromium against the whole platform (started as `npm start` does):
 * the provider, a customer's admin and a mailbox owner each go through their main flows, in that
 * order, sharing one stack. Every main page is screenshotted into e2e/artifacts/dashboard/ and
 * checked with axe-core. Outbound mail goes to a smarthost port where nothing listens, so it waits in
 * the queue (deferred) instead of leaving the machine; the burst factor is 2 so a few submissions
 * from a mailbox allowed 1 message a minute trip the burst detector.
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
    ids.otherMailbox = (await createMailbox(stack.ports.api, providerToken, other.domainId, 'news', 'news-reader-password')).address;
    browser = await launchChromium();
    const base = `http://127.0.0.1:${stack.ports.dashboard}`;
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
    await deliverOverSmtp({ port: stack.ports.smtp, to: ids.otherMailbox, subject: 'Hello from afar' });
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
    await customer.getByRole('heading', { name: /Usage against your plan “Starter”/ }).waitFor();
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
    await customer.getByRole('button', { name: 'Copy the value of the DKIM record' }).waitFor();
    await customer.getByTestId('dns-DKIM').getByText('v=DKIM1', { exact: false }).waitFor();
    await customer.getByRole('button', { name: 'Check DNS now' }).click();
    await customer.getByText('Checked. Some required records are still missing or wrong.').waitFor();
    await expect(customer.getByTestId('dns-MX').textContent()).resolves.toContain('missing');
    await checkedPage(customer, 'customer-domain-dns-missing');

    // Publish the required records exactly as the page shows them (and a wrong DMARC first).
    const value = async (kind: string) => (await customer.getByTestId(`dns-${kind}`).locator('code.dns-value').textContent())!;
    const name = async (kind: string) => (await customer.getByTestId(`dns-${kind}`).locator('dd code').first().textContent())!;
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

  it('customer: manages the mailbox (forwarding, suspension, password reset)', async () => {
    await customer.goto(`/t/${ids.tenant}/mailboxes`);
    await customer.getByRole('link', { name: OWNER.email }).click();
    await customer.waitForURL(/\/mailboxes\/[0-9a-f-]{36}$/);
    ids.mailbox = customer.url().split('/').pop()!;
    const forwarding = customer.getByRole('region', { name: 'Forwarding' });
    await forwarding.getByLabel('Forward to').fill('alice.private@example.org');
    await forwarding.getByRole('button', { name: 'Save forwarding' }).click();
    await forwarding.getByText('Mail is now forwarded to alice.private@example.org.').waitFor();
    const suspension = customer.getByRole('region', { name: 'Suspension' });
    await suspension.getByLabel('Receiving (incoming mail is refused)').check();
    await suspension.getByRole('button', { name: 'Save suspension' }).click();
    await suspension.getByText('Enter a reason while any suspension is on; it is recorded.').waitFor();
    await suspension.getByLabel('Reason').fill('Mailbox moving');
    await suspension.getByRole('button', { name: 'Save suspension' }).click();
    await suspension.getByText('Suspended: receiving.').waitFor();
    await suspension.getByLabel('Receiving (incoming mail is refused)').uncheck();
    await suspension.getByRole('button', { name: 'Save suspension' }).click();
    await suspension.getByText('No suspension is on.').waitFor();
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
    await customer.getByRole('cell', { name: 'mailbox.create' }).waitFor();
    await expect(customer.getByRole('cell', { name: 'plan.create' }).count()).resolves.toBe(0);
    await checkedPage(customer, 'customer-audit');
  });

  it('owner: signs in with the address, sees quota and the operators’ actions, sets up a mail app', async () => {
    await signIn(owner, OWNER.email, OWNER.password);
    await owner.waitForURL(/\/mailbox$/);
    await owner.getByRole('heading', { name: OWNER.email }).waitFor();
    await expect(owner.getByRole('region', { name: 'Storage' }).textContent()).resolves.toContain('0 B of 200 MB');
    const changes = owner.getByRole('region', { name: 'Changes made by your administrators' });
    await changes.getByRole('cell', { name: 'Password reset by an administrator' }).waitFor();
    await changes.getByRole('cell', { name: 'Forwarding changed' }).waitFor();
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

  it('owner: changes the password (wrong current password refused) and sets a vacation reply', async () => {
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

    const vacation = owner.getByRole('region', { name: 'Vacation reply' });
    await vacation.getByLabel('Reply automatically to incoming mail').check();
    await vacation.getByRole('button', { name: 'Save vacation reply' }).click();
    await vacation.getByText('Enter a subject for the reply.').waitFor();
    await vacation.getByText('Enter the text of the reply.').waitFor();
    await vacation.getByLabel('Subject').fill('Away until Monday');
    await vacation.getByLabel('Message').fill('I am away and will answer on Monday.');
    await vacation.getByRole('button', { name: 'Save vacation reply' }).click();
    await vacation.getByText('The vacation reply is on.').waitFor();
    await owner.reload();
    await expect(owner.getByRole('region', { name: 'Vacation reply' }).getByLabel('Subject').inputValue()).resolves.toBe('Away until Monday');
    await checkedPage(owner, 'owner-settings');
  });

  it('console: a burst block appears live without reloading, with its figures, and is released', async () => {
    await provider.goto('/abuse');
    await provider.getByTestId('live-indicator').and(provider.locator('[data-connected="true"]')).waitFor();
    await provider.getByText('No mailbox is blocked.').waitFor();
    await provider.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));

    // The plan allows 1 message a minute; with a burst factor of 2 the third attempt blocks.
    const outcomes = await sendBurst({ port: stack.ports.submission, user: OWNER.email, pass: OWNER.newPassword, to: 'someone@remote.example', count: 4 });
    expect(outcomes[0]).toBe('ok');
    expect(outcomes.slice(2).every((o) => o !== 'ok')).toBe(true);

    const row = provider.getByRole('region', { name: 'Blocked mailboxes' }).getByRole('row', { name: new RegExp(OWNER.email) });
    await row.waitFor({ timeout: 15_000 });
    await provider.getByTestId('abuse-announcement').getByText('A mailbox was just blocked for a sending burst.').waitFor();
    await expect(provider.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).resolves.toBe(true);
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

  it('no persona reaches a page it should not see by direct URL', async () => {
    const customerForbidden = [
      '/overview',
      '/plans',
      '/tenants',
      `/tenants/${ids.tenant}`,
      '/queue',
      '/abuse',
      '/audit',
      '/mailbox',
      `/t/${ids.otherTenant}`,
      `/t/${ids.otherTenant}/domains`,
      `/t/${ids.otherTenant}/domains/${ids.otherDomain}`,
      `/t/${ids.otherTenant}/mailboxes`,
      `/t/${ids.otherTenant}/api-keys`,
      `/t/${ids.otherTenant}/audit`,
      // Another tenant's domain under this tenant's URL.
      `/t/${ids.tenant}/domains/${ids.otherDomain}`,
    ];
    for (const path of customerForbidden) {
      const response = await customer.goto(path);
      expect(response?.status(), `customer must not see ${path}`).toBe(404);
      expect(await isNotFound(customer), `customer must not see ${path}`).toBe(true);
    }
    await screenshot(customer, 'customer-not-found');
    const ownerForbidden = ['/overview', '/tenants', '/abuse', `/t/${ids.tenant}`, `/t/${ids.tenant}/mailboxes`, `/t/${ids.tenant}/mailboxes/${ids.mailbox}`, `/t/${ids.otherTenant}`];
    for (const path of ownerForbidden) {
      const response = await owner.goto(path);
      expect(response?.status(), `mailbox owner must not see ${path}`).toBe(404);
      expect(await isNotFound(owner), `mailbox owner must not see ${path}`).toBe(true);
    }
    const anonymous = await personaContext(browser, `http://127.0.0.1:${stack.ports.dashboard}`);
    const visitor = await anonymous.newPage();
    for (const path of ['/overview', `/t/${ids.tenant}`, '/mailbox']) {
      await visitor.goto(path);
      await visitor.waitForURL(/\/login/);
    }
    // The browser-side routes refuse too: the GraphQL proxy without a session, the profile of another's mailbox.
    const anon = await visitor.request.post('/api/graphql', { data: { query: '{ tenants { totalCount } }' }, headers: { 'content-type': 'application/json' } });
    expect((await anon.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    await anonymous.close();
    const profile = await customer.request.get(`/api/mailboxes/${ids.mailbox}/mobileconfig`);
    expect(profile.status()).toBe(200);
    const foreign = await owner.request.get(`/api/mailboxes/${ids.otherDomain}/mobileconfig`);
    expect(foreign.status()).toBe(404);
  });

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

  it('works at phone width', async () => {
    const phone = await personaContext(browser, `http://127.0.0.1:${stack.ports.dashboard}`, { phone: true });
    const page = await phone.newPage();
    await signIn(page, stack.adminEmail, stack.adminPassword);
    for (const [path, name] of [
      ['/overview', 'phone-provider-overview'],
      ['/tenants', 'phone-provider-tenants'],
      [`/t/${ids.tenant}/domains/${ids.domain}`, 'phone-domain-dns'],
      [`/t/${ids.tenant}/mailboxes/${ids.mailbox}`, 'phone-mailbox-detail'],
    ] as const) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate(() => {
        const g = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
        return g.document.documentElement.scrollWidth - g.innerWidth;
      });
      expect(overflow, `${path} is wider than the phone`).toBeLessThanOrEqual(0);
      await screenshot(page, name);
    }
    await phone.close();
  });
});

/** The same claims with a broken signature: readable by the dashboard, refused by the API. */
function forgeToken(token: string): string {
  const [header, payload] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, number>;
  const now = Math.floor(Date.now() / 1000);
  const forgedPayload = Buffer.from(JSON.stringify({ ...claims, iat: now, exp: now + 3600 })).toString('base64url');
  return `${header}.${forgedPayload}.${Buffer.from('not-the-signature').toString('base64url')}`;
}
