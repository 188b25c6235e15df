import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '../src/auth/totp.js';
import { errorCode, ok } from './helpers/graphql-client.js';
import { insertTenant, insertTenantAdmin } from './helpers/seed.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startApi, type TestApi } from './helpers/start-api.js';

const LOGIN = `mutation($e: String!, $p: String!, $c: String) { login(email: $e, password: $p, totpCode: $c) { token refreshToken actor { totpEnrollmentRequired } } }`;
const BEGIN = `mutation { beginTotpEnrollment { secret otpauthUri } }`;
const CONFIRM = `mutation($c: String!) { confirmTotpEnrollment(code: $c) { recoveryCodes session { token refreshToken actor { totpEnrollmentRequired } } } }`;

describe('TOTP second factor for operators', () => {
  describe('optional (the default)', () => {
    let api: TestApi;
    let secret: string;
    let recovery: string[];
    beforeAll(async () => {
      api = await startApi();
      const tenantId = await insertTenant(api.db.dataSource, 'Totp Co');
      await insertTenantAdmin(api.db.dataSource, tenantId, 'ops@totp.test', 'ops-password-12');
    });
    afterAll(async () => {
      await api?.close();
    });

    it('enrols: a secret and otpauth URI, confirmed by a first code, answering recovery codes once', async () => {
      const token = await api.login('ops@totp.test', 'ops-password-12');
      const begun = ok(await api.gql(BEGIN, {}, token)).beginTotpEnrollment;
      expect(begun.secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(begun.otpauthUri).toContain(`secret=${begun.secret}`);
      expect(begun.otpauthUri).toContain('ops%40totp.test');
      secret = begun.secret;
      expect(errorCode(await api.gql(CONFIRM, { c: '000000' === totpAt(secret, Date.now()) ? '111111' : '000000' }, token))).toBe('VALIDATION');
      const confirmed = ok(await api.gql(CONFIRM, { c: totpAt(secret, Date.now()) }, token)).confirmTotpEnrollment;
      recovery = confirmed.recoveryCodes;
      expect(recovery).toHaveLength(10);
      expect(new Set(recovery).size).toBe(10);
      expect(recovery[0]).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
      const stored = await api.db.dataSource.query('SELECT code_hash FROM operator_recovery_codes');
      expect(JSON.stringify(stored)).not.toContain(recovery[0]!.replace('-', ''));
      expect(ok(await api.gql('{ myTotp { enabled required recoveryCodesLeft } }', {}, confirmed.session.token)).myTotp).toEqual({ enabled: true, required: false, recoveryCodesLeft: 10 });
    });

    it('then login needs the code: missing, wrong, right, and never the same code twice', async () => {
      const missing = await api.gql(LOGIN, { e: 'ops@totp.test', p: 'ops-password-12' });
      expect(errorCode(missing)).toBe('UNAUTHENTICATED');
      expect(missing.errors![0]!.extensions!.reason).toBe('TOTP_REQUIRED');
      const now = totpAt(secret, Date.now());
      const wrongCode = now === '123456' ? '654321' : '123456';
      expect((await api.gql(LOGIN, { e: 'ops@totp.test', p: 'ops-password-12', c: wrongCode })).errors![0]!.extensions!.reason).toBe('TOTP_INVALID');
      // A code without the password is worth nothing.
      expect(errorCode(await api.gql(LOGIN, { e: 'ops@totp.test', p: 'not-the-password', c: now }))).toBe('UNAUTHENTICATED');

      // The enrolment used the current step: the next one is accepted once (drift window), then refused.
      const next = totpAt(secret, Date.now() + 30_000);
      expect(ok(await api.gql(LOGIN, { e: 'ops@totp.test', p: 'ops-password-12', c: next })).login.token).toBeTruthy();
      expect(errorCode(await api.gql(LOGIN, { e: 'ops@totp.test', p: 'ops-password-12', c: next }))).toBe('UNAUTHENTICATED');
    });

    it('a recovery code stands in for the code, once', async () => {
      expect(ok(await api.gql(LOGIN, { e: 'ops@totp.test', p: 'ops-password-12', c: recovery[0]!.toUpperCase() })).login.token).toBeTruthy();
      expect(errorCode(await api.gql(LOGIN, { e: 'ops@totp.test', p: 'ops-password-12', c: recovery[0] }))).toBe('UNAUTHENTICATED');
    });

    it('a platform admin can reset a lost factor; the operator then logs in with the password alone', async () => {
      const admin = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
      const [op] = await api.db.dataSource.query(`SELECT id FROM operators WHERE email = 'ops@totp.test'`);
      expect(ok(await api.gql('mutation($id: ID!) { resetOperatorTotp(id: $id) { totpEnabled } }', { id: op.id }, admin)).resetOperatorTotp.totpEnabled).toBe(false);
      expect(ok(await api.gql(LOGIN, { e: 'ops@totp.test', p: 'ops-password-12' })).login.token).toBeTruthy();
      expect(await api.count('operator_recovery_codes')).toBe(0);
    });
  });

  describe('made mandatory by the provider (DARWIN_OPERATOR_TOTP=required)', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startApi({ settingsEnv: { DARWIN_OPERATOR_TOTP: 'required' } });
    });
    afterAll(async () => {
      await api?.close();
    });

    it('an operator without TOTP gets an enrolment-only session, and a full one after enrolling', async () => {
      const first = ok(await api.gql(LOGIN, { e: ADMIN_EMAIL, p: ADMIN_PASSWORD })).login;
      expect(first.actor.totpEnrollmentRequired).toBe(true);
      expect(first.refreshToken).toBeNull();
      const blocked = await api.gql('{ tenants { totalCount } }', {}, first.token);
      expect(errorCode(blocked)).toBe('FORBIDDEN');
      expect(blocked.errors![0]!.extensions!.reason).toBe('TOTP_ENROLLMENT_REQUIRED');
      expect(ok(await api.gql('{ me { totpEnrollmentRequired } }', {}, first.token)).me.totpEnrollmentRequired).toBe(true);

      const { secret } = ok(await api.gql(BEGIN, {}, first.token)).beginTotpEnrollment;
      const done = ok(await api.gql(CONFIRM, { c: totpAt(secret, Date.now()) }, first.token)).confirmTotpEnrollment;
      expect(done.session.actor.totpEnrollmentRequired).toBe(false);
      expect(done.session.refreshToken).toBeTruthy();
      expect(ok(await api.gql('{ tenants { totalCount } }', {}, done.session.token)).tenants.totalCount).toBe(0);
      // The enrolment-only token stays enrolment-only.
      expect(errorCode(await api.gql('{ tenants { totalCount } }', {}, first.token))).toBe('FORBIDDEN');
      // And the factor cannot be turned off while mandatory.
      expect(errorCode(await api.gql('mutation($c: String!) { disableTotp(code: $c) }', { c: totpAt(secret, Date.now() + 30_000) }, done.session.token))).toBe('FORBIDDEN');
    });

    it('mailbox owners are not operators: unaffected', async () => {
      const { insertDomain, insertMailbox } = await import('./helpers/seed.js');
      const t = await insertTenant(api.db.dataSource, 'Owner Co');
      const d = await insertDomain(api.db.dataSource, t, 'owner.test');
      await insertMailbox(api.db.dataSource, d, 'eve', 'eve-password-12');
      const login = ok(await api.gql(LOGIN, { e: 'eve@owner.test', p: 'eve-password-12' })).login;
      expect(login.actor.totpEnrollmentRequired).toBe(false);
      expect(ok(await api.gql('{ mailboxes { totalCount } }', {}, login.token)).mailboxes.totalCount).toBe(1);
    });
  });
});
