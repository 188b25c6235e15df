import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, ok } from './helpers/graphql-client.js';
import { insertDomain, insertMessage, insertQueued, insertTenant, insertTenantAdmin } from './helpers/seed.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, DEFAULT_QUOTA, startApi, type TestApi } from './helpers/start-api.js';

const CREATE = `mutation($i: CreateMailboxInput!) { createMailbox(input: $i) { id address quotaBytes } }`;
const FULL = `id address displayName quotaBytes loginSuspended sendSuspended receiveSuspended suspensionReason forwarding { addresses keepCopy } vacation { enabled subject body startsAt endsAt }`;

describe('mailboxes: update, quota, suspension, forwarding, vacation, limits, delete', () => {
  let api: TestApi;
  let admin: string;
  let ta: string;
  let tenantId: string;
  let domainId: string;
  let owner: { id: string; token: string };
  beforeAll(async () => {
    api = await startApi();
    admin = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    tenantId = await insertTenant(api.db.dataSource, 'Box Co');
    domainId = await insertDomain(api.db.dataSource, tenantId, 'box.test');
    await insertTenantAdmin(api.db.dataSource, tenantId, 'admin@box.test', 'box-admin-pass');
    ta = await api.login('admin@box.test', 'box-admin-pass');
    const mb = ok(await api.gql(CREATE, { i: { domainId, localPart: 'olive', password: 'olive-password' } }, ta)).createMailbox;
    owner = { id: mb.id, token: await api.login('olive@box.test', 'olive-password') };
  });
  afterAll(async () => {
    await api?.close();
  });

  it('quota: within the max mailbox quota and, all quotas together, within the plan storage (LIMIT_EXCEEDED with numbers)', async () => {
    const up = ok(await api.gql('mutation($id: ID!) { updateMailbox(id: $id, input: { quotaBytes: 2097152, displayName: "Olive" }) { quotaBytes displayName } }', { id: owner.id }, ta)).updateMailbox;
    expect(up).toEqual({ quotaBytes: 2097152, displayName: 'Olive' });
    const tooBig = await api.gql('mutation($id: ID!, $q: Float!) { updateMailbox(id: $id, input: { quotaBytes: $q }) { id } }', { id: owner.id, q: DEFAULT_QUOTA * 10 + 1 }, ta);
    expect(errorCode(tooBig)).toBe('LIMIT_EXCEEDED');
    expect(tooBig.errors![0]!.extensions).toMatchObject({ limit: 'maxMailboxQuotaBytes', max: DEFAULT_QUOTA * 10 });
    // Storage: the Default plan has 100 x the default quota; fill it with maximal mailboxes.
    await api.db.dataSource.query(`UPDATE plans SET storage_bytes = $1`, [DEFAULT_QUOTA * 12]);
    try {
      ok(await api.gql(CREATE, { i: { domainId, localPart: 'big', password: 'a-long-password', quotaBytes: DEFAULT_QUOTA * 10 } }, ta));
      const over = await api.gql(CREATE, { i: { domainId, localPart: 'bigger', password: 'a-long-password', quotaBytes: DEFAULT_QUOTA * 2 } }, ta);
      expect(errorCode(over)).toBe('LIMIT_EXCEEDED');
      expect(over.errors![0]!.extensions).toMatchObject({ limit: 'storageBytes', max: DEFAULT_QUOTA * 12, current: DEFAULT_QUOTA * 10 + 2097152, requested: DEFAULT_QUOTA * 2 });
      const raise = await api.gql('mutation($id: ID!, $q: Float!) { updateMailbox(id: $id, input: { quotaBytes: $q }) { id } }', { id: owner.id, q: DEFAULT_QUOTA * 3 }, ta);
      expect(errorCode(raise)).toBe('LIMIT_EXCEEDED');
    } finally {
      await api.db.dataSource.query(`UPDATE plans SET storage_bytes = $1`, [DEFAULT_QUOTA * 100]);
    }
  });

  it('a mailbox owner may change its display name, forwarding and vacation, never its quota, suspension or limits', async () => {
    expect(ok(await api.gql('mutation($id: ID!) { updateMailbox(id: $id, input: { displayName: "O. Owner" }) { displayName } }', { id: owner.id }, owner.token)).updateMailbox.displayName).toBe('O. Owner');
    expect(errorCode(await api.gql('mutation($id: ID!) { updateMailbox(id: $id, input: { quotaBytes: 1 }) { id } }', { id: owner.id }, owner.token))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql('mutation($id: ID!) { setMailboxSuspension(id: $id, input: { login: false, send: false, receive: false }) { id } }', { id: owner.id }, owner.token))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql('mutation($id: ID!) { setMailboxLimits(id: $id, input: { sendPerDay: 99999 }) { id } }', { id: owner.id }, owner.token))).toBe('FORBIDDEN');

    const fw = ok(await api.gql(`mutation($id: ID!) { setMailboxForwarding(id: $id, input: { addresses: ["Me@Elsewhere.TEST", "me@elsewhere.test", "Bob@Bücher.example"], keepCopy: false }) { ${FULL} } }`, { id: owner.id }, owner.token)).setMailboxForwarding;
    expect(fw.forwarding).toEqual({ addresses: ['me@elsewhere.test', 'bob@xn--bcher-kva.example'], keepCopy: false });
    expect(errorCode(await api.gql('mutation($id: ID!) { setMailboxForwarding(id: $id, input: { addresses: ["olive@box.test"] }) { id } }', { id: owner.id }, owner.token))).toBe('VALIDATION');
    expect(errorCode(await api.gql('mutation($id: ID!) { setMailboxForwarding(id: $id, input: { addresses: ["not an address"] }) { id } }', { id: owner.id }, owner.token))).toBe('VALIDATION');

    const v = ok(
      await api.gql(
        `mutation($id: ID!, $i: MailboxVacationInput!) { setMailboxVacation(id: $id, input: $i) { vacation { enabled subject body startsAt endsAt } } }`,
        { id: owner.id, i: { enabled: true, subject: 'Away', body: 'Back on Monday.\nRegards', startsAt: '2026-12-01T00:00:00.000Z', endsAt: '2026-12-08T00:00:00.000Z' } },
        owner.token,
      ),
    ).setMailboxVacation;
    expect(v.vacation).toEqual({ enabled: true, subject: 'Away', body: 'Back on Monday.\nRegards', startsAt: '2026-12-01T00:00:00.000Z', endsAt: '2026-12-08T00:00:00.000Z' });
    expect(errorCode(await api.gql('mutation($id: ID!) { setMailboxVacation(id: $id, input: { enabled: true }) { id } }', { id: owner.id }, owner.token))).toBe('VALIDATION');
    expect(
      errorCode(await api.gql('mutation($id: ID!) { setMailboxVacation(id: $id, input: { enabled: true, subject: "x", body: "y", startsAt: "2026-12-02T00:00:00Z", endsAt: "2026-12-01T00:00:00Z" }) { id } }', { id: owner.id }, owner.token)),
    ).toBe('VALIDATION');
    // The owner's own changes are in the audit log, made by the mailbox.
    const [row] = await api.db.dataSource.query(`SELECT actor_type FROM audit_log WHERE action = 'mailbox.vacation' AND target_id = $1`, [owner.id]);
    expect(row.actor_type).toBe('mailbox');
  });

  it('suspension: login, send and receive separately, each with a reason; login suspension stops the owner at once', async () => {
    const mb = ok(await api.gql(CREATE, { i: { domainId, localPart: 'sam', password: 'sam-password-1' } }, ta)).createMailbox;
    const samToken = await api.login('sam@box.test', 'sam-password-1');
    expect(errorCode(await api.gql('mutation($id: ID!) { setMailboxSuspension(id: $id, input: { login: false, send: true, receive: false }) { id } }', { id: mb.id }, ta))).toBe('VALIDATION');
    const s = ok(await api.gql(`mutation($id: ID!) { setMailboxSuspension(id: $id, input: { login: false, send: true, receive: false, reason: "spam complaints" }) { ${FULL} } }`, { id: mb.id }, ta)).setMailboxSuspension;
    expect(s).toMatchObject({ loginSuspended: false, sendSuspended: true, receiveSuspended: false, suspensionReason: 'spam complaints' });
    expect(ok(await api.gql('{ me { id } }', {}, samToken)).me.id).toBe(mb.id);
    ok(await api.gql('mutation($id: ID!) { setMailboxSuspension(id: $id, input: { login: true, send: true, receive: true, reason: "closed" }) { id } }', { id: mb.id }, ta));
    expect(errorCode(await api.gql('{ me { id } }', {}, samToken))).toBe('UNAUTHENTICATED');
    const filtered = ok(await api.gql('{ mailboxes(suspended: true) { nodes { address } } }', {}, ta)).mailboxes.nodes;
    expect(filtered).toEqual([{ address: 'sam@box.test' }]);
    const cleared = ok(await api.gql('mutation($id: ID!) { setMailboxSuspension(id: $id, input: { login: false, send: false, receive: false, reason: "ignored" }) { suspensionReason } }', { id: mb.id }, ta)).setMailboxSuspension;
    expect(cleared.suspensionReason).toBeNull();
  });

  it('limits: overrides by platform admins only; null follows the plan', async () => {
    const lim = `limits { sendPerMinute sendPerHour sendPerDay imapEnabled pop3Enabled sendPerDayOverride pop3EnabledOverride }`;
    expect(ok(await api.gql(`query($id: ID!) { mailbox(id: $id) { ${lim} } }`, { id: owner.id }, ta)).mailbox.limits).toEqual({
      sendPerMinute: 30,
      sendPerHour: 300,
      sendPerDay: 1000,
      imapEnabled: true,
      pop3Enabled: true,
      sendPerDayOverride: null,
      pop3EnabledOverride: null,
    });
    expect(errorCode(await api.gql('mutation($id: ID!) { setMailboxLimits(id: $id, input: { sendPerDay: 5 }) { id } }', { id: owner.id }, ta))).toBe('FORBIDDEN');
    const set = ok(await api.gql(`mutation($id: ID!) { setMailboxLimits(id: $id, input: { sendPerDay: 5000, pop3Enabled: false }) { ${lim} } }`, { id: owner.id }, admin)).setMailboxLimits;
    expect(set.limits).toMatchObject({ sendPerDay: 5000, sendPerDayOverride: 5000, pop3Enabled: false, pop3EnabledOverride: false, sendPerHour: 300 });
    const [row] = await api.db.dataSource.query('SELECT send_per_day, pop3_enabled, send_per_hour FROM mailboxes WHERE id = $1', [owner.id]);
    expect(row).toEqual({ send_per_day: 5000, pop3_enabled: false, send_per_hour: null });
    expect(errorCode(await api.gql('mutation($id: ID!) { setMailboxLimits(id: $id, input: { sendPerDay: -1 }) { id } }', { id: owner.id }, admin))).toBe('VALIDATION');
  });

  it('resetMailboxPassword: the new password works, the old does not, and nothing secret is logged', async () => {
    const mb = ok(await api.gql(CREATE, { i: { domainId, localPart: 'rita', password: 'rita-password-1' } }, ta)).createMailbox;
    expect(errorCode(await api.gql('mutation($id: ID!) { resetMailboxPassword(id: $id, password: "short") { id } }', { id: mb.id }, ta))).toBe('VALIDATION');
    ok(await api.gql('mutation($id: ID!) { resetMailboxPassword(id: $id, password: "rita-password-2") { id } }', { id: mb.id }, ta));
    expect(errorCode(await api.gql('mutation { login(email: "rita@box.test", password: "rita-password-1") { token } }'))).toBe('UNAUTHENTICATED');
    expect(ok(await api.gql('mutation { login(email: "rita@box.test", password: "rita-password-2") { token } }')).login.token).toBeTruthy();
    const audits = JSON.stringify(await api.db.dataSource.query(`SELECT before, after FROM audit_log WHERE target_id = $1`, [mb.id]));
    expect(audits).not.toMatch(/argon2|rita-password/);
  });

  it('deleteMailbox needs the address, deletes its mail and gives blob references back; queued mail stays', async () => {
    const mb = ok(await api.gql(CREATE, { i: { domainId, localPart: 'tom', password: 'tom-password-1' } }, ta)).createMailbox;
    await insertMessage(api.db.dataSource, mb.id, 'first');
    await insertMessage(api.db.dataSource, mb.id, 'second');
    const { blobId } = await insertMessage(api.db.dataSource, owner.id, 'second'); // shared with olive
    const q = await insertQueued(api.db.dataSource, mb.id, 'x@remote.test', 'outgoing');
    const blobs = await api.count('blobs');
    expect(errorCode(await api.gql('mutation($id: ID!) { deleteMailbox(input: { id: $id, confirmAddress: "olive@box.test" }) { mailboxId } }', { id: mb.id }, ta))).toBe('VALIDATION');
    const res = ok(await api.gql('mutation($id: ID!) { deleteMailbox(input: { id: $id, confirmAddress: "TOM@box.test" }) { mailboxId messagesDeleted bytesDeleted } }', { id: mb.id }, ta)).deleteMailbox;
    expect(res).toEqual({ mailboxId: mb.id, messagesDeleted: 2, bytesDeleted: 11 });
    expect(await api.count('blobs')).toBe(blobs - 1);
    expect((await api.db.dataSource.query('SELECT refcount FROM blobs WHERE id = $1', [blobId]))[0].refcount).toBe(1);
    expect((await api.db.dataSource.query('SELECT state FROM outbound_queue WHERE id = $1', [q.id]))[0].state).toBe('queued');
    expect(await api.db.dataSource.query('SELECT 1 FROM folders WHERE mailbox_id = $1', [mb.id])).toEqual([]);
  });

  it('lists filter by address and sort by usage', async () => {
    const list = ok(await api.gql('{ mailboxes(orderBy: { field: USED_BYTES, direction: DESC }, first: 2) { nodes { address usedBytes } pageInfo { endCursor hasNextPage } } }', {}, ta)).mailboxes;
    expect(list.nodes[0].usedBytes).toBeGreaterThanOrEqual(list.nodes[1].usedBytes);
    const next = ok(await api.gql('query($a: String) { mailboxes(orderBy: { field: USED_BYTES, direction: DESC }, first: 2, after: $a) { nodes { usedBytes } } }', { a: list.pageInfo.endCursor }, ta)).mailboxes;
    expect(next.nodes[0].usedBytes).toBeLessThanOrEqual(list.nodes[1].usedBytes);
    expect(ok(await api.gql('{ mailboxes(addressContains: "OLI") { nodes { address } } }', {}, ta)).mailboxes.nodes).toEqual([{ address: 'olive@box.test' }]);
    expect(ok(await api.gql('{ mailboxes(addressContains: "%") { totalCount } }', {}, ta)).mailboxes.totalCount).toBe(0);
  });
});
