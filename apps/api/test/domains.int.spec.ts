import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDns } from '../../../tools/test-support/fake-dns.js';
import { errorCode, ok } from './helpers/graphql-client.js';
import { eventually, listenEvents } from './helpers/listen-events.js';
import { insertMailbox, insertMessage, insertQueued, insertTenant, insertTenantAdmin } from './helpers/seed.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startApi, TEST_HOSTNAME, type TestApi } from './helpers/start-api.js';

const RECORDS = `dnsVerified dnsCheckedAt dnsRecords { kind type name value required status found checkedAt }`;

describe('domains: lifecycle, DKIM and DNS onboarding', () => {
  let api: TestApi;
  let dns: FakeDns;
  let admin: string;
  let tenantAdmin: string;
  let tenantId: string;
  beforeAll(async () => {
    dns = await FakeDns.start();
    api = await startApi({ env: { DARWIN_DNS_SERVERS: dns.server, DARWIN_DNS_TIMEOUT: '1000ms' } });
    admin = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    tenantId = await insertTenant(api.db.dataSource, 'Dom Co');
    await insertTenantAdmin(api.db.dataSource, tenantId, 'admin@dom.test', 'dom-admin-pass');
    tenantAdmin = await api.login('admin@dom.test', 'dom-admin-pass');
  });
  afterAll(async () => {
    await api?.close();
    await dns?.close();
  });

  const create = async (name: string) =>
    ok(await api.gql(`mutation($t: ID!, $n: String!) { createDomain(input: { tenantId: $t, name: $n }) { id name displayName dkim { selector recordName recordValue bits } ${RECORDS} } }`, { t: tenantId, n: name }, tenantAdmin)).createDomain;

  it('a new domain comes with an RSA 2048 DKIM key and the exact records to publish, unchecked', async () => {
    const d = await create('Bücher.example');
    expect(d.name).toBe('xn--bcher-kva.example');
    expect(d.displayName).toBe('bücher.example');
    expect(d.dkim.bits).toBe(2048);
    expect(d.dkim.selector).toMatch(/^dm\d{8}$/);
    expect(d.dkim.recordName).toBe(`${d.dkim.selector}._domainkey.xn--bcher-kva.example`);
    expect(d.dnsVerified).toBe(false);
    const byKind = Object.fromEntries(d.dnsRecords.map((r: { kind: string }) => [r.kind, r]));
    expect(Object.keys(byKind)).toEqual(['MX', 'SPF', 'DKIM', 'DMARC', 'MTA_STS', 'MTA_STS_HOST', 'TLS_RPT', 'AUTOCONFIG', 'AUTODISCOVER']);
    expect(byKind.MX).toMatchObject({ type: 'MX', name: 'xn--bcher-kva.example', value: `10 ${TEST_HOSTNAME}.`, required: true, status: 'unchecked', found: [], checkedAt: null });
    expect(byKind.SPF.value).toBe(`v=spf1 mx a:${TEST_HOSTNAME} -all`);
    expect(byKind.DKIM.value).toBe(d.dkim.recordValue);
    expect(byKind.DKIM.value).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]+=*$/);
    expect(byKind.AUTOCONFIG).toMatchObject({ type: 'CNAME', value: `${TEST_HOSTNAME}.`, required: false });
    // The private key never leaves: not in the schema, not in the audit log.
    const [audit] = await api.db.dataSource.query(`SELECT after FROM audit_log WHERE target_id = $1`, [d.id]);
    expect(JSON.stringify(audit)).not.toMatch(/PRIVATE KEY/);
  });

  it('verifyDomain resolves every record through the configured resolver, stores status per record, and emits domain.verified once', async () => {
    const d = await create('verify.example');
    const listener = await listenEvents(api.db.url);
    try {
      let v = ok(await api.gql(`mutation($id: ID!) { verifyDomain(id: $id) { ${RECORDS} } }`, { id: d.id }, tenantAdmin)).verifyDomain;
      expect(v.dnsVerified).toBe(false);
      expect(v.dnsRecords.every((r: { status: string }) => r.status === 'missing')).toBe(true);
      expect(dns.queries).toEqual(expect.arrayContaining(['MX verify.example', 'TXT verify.example', `TXT ${d.dkim.selector}._domainkey.verify.example`, 'TXT _dmarc.verify.example', 'CNAME autoconfig.verify.example']));

      // Publish some records, one of them wrong.
      const want = Object.fromEntries(d.dnsRecords.map((r: { kind: string; value: string }) => [r.kind, r.value]));
      dns.set('verify.example', { MX: [{ priority: 10, exchange: 'mx.elsewhere.test' }], TXT: [want.SPF, 'google-site-verification=x'] });
      dns.set(`${d.dkim.selector}._domainkey.verify.example`, { TXT: [want.DKIM] });
      dns.set('_dmarc.verify.example', { TXT: ['v=DMARC1; p=none'] });
      v = ok(await api.gql(`mutation($id: ID!) { verifyDomain(id: $id) { ${RECORDS} } }`, { id: d.id }, tenantAdmin)).verifyDomain;
      const status = Object.fromEntries(v.dnsRecords.map((r: { kind: string; status: string }) => [r.kind, r.status]));
      expect(status).toMatchObject({ MX: 'mismatch', SPF: 'ok', DKIM: 'ok', DMARC: 'ok', MTA_STS: 'missing', AUTOCONFIG: 'missing' });
      expect(v.dnsRecords.find((r: { kind: string }) => r.kind === 'MX').found).toEqual(['10 mx.elsewhere.test.']);
      expect(v.dnsVerified).toBe(false);
      expect(new Date(v.dnsCheckedAt).getTime()).toBeGreaterThan(Date.now() - 10_000);
      // Each record carries the time of its own check.
      for (const r of v.dnsRecords as Array<{ checkedAt: string | null }>) expect(new Date(r.checkedAt ?? 0).getTime()).toBeGreaterThan(Date.now() - 10_000);

      dns.set('verify.example', { MX: [{ priority: 10, exchange: TEST_HOSTNAME }], TXT: [want.SPF] });
      dns.set('autoconfig.verify.example', { CNAME: TEST_HOSTNAME });
      v = ok(await api.gql(`mutation($id: ID!) { verifyDomain(id: $id) { ${RECORDS} } }`, { id: d.id }, tenantAdmin)).verifyDomain;
      expect(v.dnsVerified).toBe(true);
      expect(v.dnsRecords.find((r: { kind: string }) => r.kind === 'AUTOCONFIG').status).toBe('ok');
      // Stored: a fresh read shows the same, and so does the filterable column.
      const again = ok(await api.gql(`query($id: ID!) { domain(id: $id) { ${RECORDS} } }`, { id: d.id }, tenantAdmin)).domain;
      expect(again.dnsRecords).toEqual(v.dnsRecords);
      // Verified again: no second event.
      ok(await api.gql(`mutation($id: ID!) { verifyDomain(id: $id) { dnsVerified } }`, { id: d.id }, tenantAdmin));
      await eventually(() => expect(listener.events.filter((e) => e.type === 'domain.verified')).toEqual([{ type: 'domain.verified', tenantId, domainId: d.id, domain: 'verify.example' }]));
      await new Promise((r) => setTimeout(r, 100));
      expect(listener.events.filter((e) => e.type === 'domain.verified')).toHaveLength(1);
    } finally {
      await listener.close();
    }
  });

  it('two SPF records, or a DKIM record with another key, are mismatches', async () => {
    const d = await create('messy.example');
    dns.set('messy.example', { TXT: ['v=spf1 mx -all', 'v=spf1 a -all'] });
    dns.set(`${d.dkim.selector}._domainkey.messy.example`, { TXT: ['v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAx'] });
    const v = ok(await api.gql(`mutation($id: ID!) { verifyDomain(id: $id) { ${RECORDS} } }`, { id: d.id }, tenantAdmin)).verifyDomain;
    const status = Object.fromEntries(v.dnsRecords.map((r: { kind: string; status: string }) => [r.kind, r.status]));
    expect(status).toMatchObject({ SPF: 'mismatch', DKIM: 'mismatch' });
  });

  it('DKIM: generate refuses when a key exists; rotate makes a new key and selector; import takes an RSA PEM', async () => {
    const d = await create('keys.example');
    expect(errorCode(await api.gql('mutation($id: ID!) { generateDkimKey(domainId: $id) { id } }', { id: d.id }, tenantAdmin))).toBe('CONFLICT');
    const rotated = ok(await api.gql('mutation($id: ID!) { rotateDkimKey(domainId: $id, selector: "Spring2026") { dkim { selector recordValue } } }', { id: d.id }, tenantAdmin)).rotateDkimKey;
    expect(rotated.dkim.selector).toBe('spring2026');
    expect(rotated.dkim.recordValue).not.toBe(d.dkim.recordValue);
    expect(errorCode(await api.gql('mutation($id: ID!) { rotateDkimKey(domainId: $id, selector: "spring2026") { id } }', { id: d.id }, tenantAdmin))).toBe('VALIDATION');
    expect(errorCode(await api.gql('mutation($id: ID!) { rotateDkimKey(domainId: $id, selector: "a.b") { id } }', { id: d.id }, tenantAdmin))).toBe('VALIDATION');

    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const imported = ok(await api.gql('mutation($i: ImportDkimKeyInput!) { importDkimKey(input: $i) { dkim { selector bits } } }', { i: { domainId: d.id, selector: 'moved', privateKeyPem: pem } }, tenantAdmin)).importDkimKey;
    expect(imported.dkim).toEqual({ selector: 'moved', bits: 2048 });
    const [row] = await api.db.dataSource.query('SELECT dkim_private_key FROM domains WHERE id = $1', [d.id]);
    expect(row.dkim_private_key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(errorCode(await api.gql('mutation($i: ImportDkimKeyInput!) { importDkimKey(input: $i) { id } }', { i: { domainId: d.id, selector: 'x', privateKeyPem: 'garbage' } }, tenantAdmin))).toBe('VALIDATION');
    const actions = (await api.db.dataSource.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`, [d.id])).map((r: { action: string }) => r.action);
    expect(actions).toEqual(['domain.create', 'domain.dkim_rotate', 'domain.dkim_import']);
    // generate works on a domain without a key
    await api.db.dataSource.query('UPDATE domains SET dkim_selector = NULL, dkim_private_key = NULL, dkim_public_key = NULL WHERE id = $1', [d.id]);
    expect(ok(await api.gql('mutation($id: ID!) { generateDkimKey(domainId: $id) { dkim { bits } } }', { id: d.id }, tenantAdmin)).generateDkimKey.dkim.bits).toBe(2048);
  });

  it('suspend is for platform admins, with a reason', async () => {
    const d = await create('suspend.example');
    expect(errorCode(await api.gql('mutation($id: ID!) { suspendDomain(id: $id, reason: "abuse") { id } }', { id: d.id }, tenantAdmin))).toBe('FORBIDDEN');
    expect(ok(await api.gql('mutation($id: ID!) { suspendDomain(id: $id, reason: "abuse") { status suspensionReason } }', { id: d.id }, admin)).suspendDomain).toEqual({ status: 'suspended', suspensionReason: 'abuse' });
    expect(ok(await api.gql('{ domains(status: suspended) { nodes { name } } }', {}, tenantAdmin)).domains.nodes).toEqual([{ name: 'suspend.example' }]);
    expect(ok(await api.gql('mutation($id: ID!) { unsuspendDomain(id: $id) { status suspensionReason } }', { id: d.id }, admin)).unsuspendDomain).toEqual({ status: 'active', suspensionReason: null });
  });

  it('deleteDomain says what it removes: mailboxes with their mail and aliases; queued outbound mail stays', async () => {
    const d = await create('gone.example');
    const mb = await insertMailbox(api.db.dataSource, d.id, 'user', 'password-1234');
    await insertMessage(api.db.dataSource, mb, 'a message in gone.example');
    const q = await insertQueued(api.db.dataSource, mb, 'friend@remote.test', 'outbound from gone.example');
    ok(await api.gql('mutation { createAlias(input: { source: "@gone.example", destinations: ["user@gone.example"] }) { id } }', {}, tenantAdmin));
    const blobs = await api.count('blobs');
    expect(errorCode(await api.gql('mutation($id: ID!) { deleteDomain(input: { id: $id, confirmName: "other.example" }) { domainId } }', { id: d.id }, tenantAdmin))).toBe('VALIDATION');
    const res = ok(
      await api.gql('mutation($id: ID!) { deleteDomain(input: { id: $id, confirmName: "GONE.example" }) { domainId mailboxesDeleted aliasesDeleted messagesDeleted bytesDeleted } }', { id: d.id }, tenantAdmin),
    ).deleteDomain;
    expect(res).toEqual({ domainId: d.id, mailboxesDeleted: 1, aliasesDeleted: 1, messagesDeleted: 1, bytesDeleted: 'a message in gone.example'.length });
    expect(await api.count('blobs')).toBe(blobs - 1);
    const [queued] = await api.db.dataSource.query('SELECT state, mailbox_id, blob_id FROM outbound_queue WHERE id = $1', [q.id]);
    expect(queued).toEqual({ state: 'queued', mailbox_id: null, blob_id: q.blobId });
  });

  it('lists filter by name and sort by name', async () => {
    const res = ok(await api.gql('{ domains(nameContains: "EXAMPLE", orderBy: { field: NAME }) { nodes { name } } }', {}, tenantAdmin)).domains;
    const names = res.nodes.map((n: { name: string }) => n.name);
    expect(names).toEqual([...names].sort());
    expect(names.length).toBeGreaterThan(3);
  });
});
