import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, gql, ok } from './helpers/graphql-client.js';
import { insertDomain, insertMailbox, insertTenant, insertTenantAdmin } from './helpers/seed.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startApi, type TestApi } from './helpers/start-api.js';

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`;

describe('login throttling and lockout', () => {
  describe('per account', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startApi({ env: { DARWIN_AUTH_MAX_FAILURES_ACCOUNT: '3', DARWIN_AUTH_MAX_FAILURES_IP: '1000', DARWIN_AUTH_LOCKOUT: '10m' } });
    });
    afterAll(async () => {
      await api?.close();
    });

    it('locks an operator after a run of wrong passwords (in the database), records an abuse event, and an admin can unlock', async () => {
      const tenantId = await insertTenant(api.db.dataSource, 'Lock Co');
      const opId = await insertTenantAdmin(api.db.dataSource, tenantId, 'ops@lock.test', 'right-password-1');
      for (let i = 0; i < 3; i++) expect(errorCode(await api.gql(LOGIN, { e: 'ops@lock.test', p: `wrong-${i}-password` }))).toBe('UNAUTHENTICATED');
      const locked = await api.gql(LOGIN, { e: 'ops@lock.test', p: 'right-password-1' });
      expect(errorCode(locked)).toBe('UNAUTHENTICATED');
      expect(locked.errors![0]!.message).toBe('Invalid email or password'); // no hint that the account exists or is locked
      const [row] = await api.db.dataSource.query('SELECT failed_logins, locked_until > now() AS locked FROM operators WHERE id = $1', [opId]);
      expect(row).toEqual({ failed_logins: 0, locked: true });
      const events = await api.db.dataSource.query(`SELECT tenant_id, kind, details FROM abuse_events WHERE kind = 'auth_failures'`);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ tenant_id: tenantId, details: { scope: 'operator', operatorId: opId, failures: 3 } });

      const admin = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
      const unlocked = ok(await api.gql('mutation($id: ID!) { unlockOperator(id: $id) { lockedUntil } }', { id: opId }, admin)).unlockOperator;
      expect(unlocked.lockedUntil).toBeNull();
      expect(ok(await api.gql(LOGIN, { e: 'ops@lock.test', p: 'right-password-1' })).login.token).toBeTruthy();
    });

    it('a success in between resets the run', async () => {
      const tenantId = await insertTenant(api.db.dataSource, 'Reset Co');
      await insertTenantAdmin(api.db.dataSource, tenantId, 'ops@reset.test', 'right-password-1');
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < 2; i++) await api.gql(LOGIN, { e: 'ops@reset.test', p: 'wrong-password-x' });
        expect(ok(await api.gql(LOGIN, { e: 'ops@reset.test', p: 'right-password-1' })).login.token).toBeTruthy();
      }
    });

    it('locks a mailbox login name after the same run, in the counters SMTP, IMAP and POP3 share', async () => {
      const tenantId = await insertTenant(api.db.dataSource, 'Box Co');
      const domainId = await insertDomain(api.db.dataSource, tenantId, 'box.test');
      await insertMailbox(api.db.dataSource, domainId, 'dave', 'dave-password-1');
      for (let i = 0; i < 3; i++) await api.gql(LOGIN, { e: 'dave@box.test', p: 'wrong-password-x' });
      expect(errorCode(await api.gql(LOGIN, { e: 'dave@box.test', p: 'dave-password-1' }))).toBe('UNAUTHENTICATED');
      const [lock] = await api.db.dataSource.query(`SELECT locked_until > now() AS locked FROM auth_failures WHERE scope = 'account' AND key = 'dave@box.test'`);
      expect(lock).toEqual({ locked: true });
      // Others are not affected.
      expect(ok(await api.gql(LOGIN, { e: ADMIN_EMAIL, p: ADMIN_PASSWORD })).login.token).toBeTruthy();
    });
  });

  describe('per client IP', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startApi({ env: { DARWIN_AUTH_MAX_FAILURES_ACCOUNT: '1000', DARWIN_AUTH_MAX_FAILURES_IP: '5' } });
    });
    afterAll(async () => {
      await api?.close();
    });

    it('refuses every login from an address that guessed too often, with the time to wait', async () => {
      for (let i = 0; i < 5; i++) expect(errorCode(await api.gql(LOGIN, { e: `nobody${i}@x.test`, p: 'guess-password' }))).toBe('UNAUTHENTICATED');
      const res = await api.gql(LOGIN, { e: ADMIN_EMAIL, p: ADMIN_PASSWORD });
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
      expect(res.errors![0]!.extensions).toMatchObject({ reason: 'THROTTLED' });
      expect(res.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThan(800);
    });
  });

  describe('behind a trusted proxy (DARWIN_API_TRUST_PROXY)', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startApi({ env: { DARWIN_AUTH_MAX_FAILURES_IP: '3' }, settingsEnv: { DARWIN_API_TRUST_PROXY: 'loopback' } });
    });
    afterAll(async () => {
      await api?.close();
    });

    it("counts the forwarded client's IP, so one guesser behind the proxy does not lock out the others", async () => {
      const as = (ip: string, e: string, p: string) => gql(api.url, LOGIN, { e, p }, undefined, { 'x-forwarded-for': ip });
      for (let i = 0; i < 3; i++) await as('203.0.113.5', `x${i}@nowhere.test`, 'guess-password');
      expect((await as('203.0.113.5', ADMIN_EMAIL, ADMIN_PASSWORD)).errors![0]!.extensions!.reason).toBe('THROTTLED');
      expect(ok(await as('203.0.113.6', ADMIN_EMAIL, ADMIN_PASSWORD)).login.token).toBeTruthy();
      const [row] = await api.db.dataSource.query(`SELECT host(ip) AS ip FROM audit_log WHERE action = 'auth.login' ORDER BY id DESC LIMIT 1`);
      expect(row.ip).toBe('203.0.113.6');
    });
  });
});
