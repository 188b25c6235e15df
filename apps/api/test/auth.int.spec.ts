import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@darwin/config';
import { createDataSource } from '@darwin/db';
import { createLogger } from '@darwin/logger';
import { createApiApp } from '../src/app.factory.js';
import { signAccessToken } from '../src/auth/jwt.js';
import { listen } from '../src/listen.js';
import { errorCode } from './helpers/graphql-client.js';
import { insertDomain, insertMailbox, insertTenant } from './helpers/seed.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, JWT_SECRET, startApi, type TestApi } from './helpers/start-api.js';

const LOGIN = `mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) { token expiresAt actor { kind role id email tenantId } }
}`;

describe('authentication', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('logs the bootstrapped platform admin in, and the token works', async () => {
    const res = await api.gql(LOGIN, { email: ADMIN_EMAIL.toUpperCase(), password: ADMIN_PASSWORD });
    expect(res.errors).toBeUndefined();
    const login = res.data!.login;
    expect(login.actor).toMatchObject({ kind: 'operator', role: 'platform_admin', email: ADMIN_EMAIL, tenantId: null });
    expect(login.token.split('.')).toHaveLength(3);
    const ttl = new Date(login.expiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(59 * 60_000); // default DARWIN_ACCESS_TOKEN_TTL is 1h
    expect(ttl).toBeLessThanOrEqual(60 * 60_000);

    const me = await api.gql('{ me { kind role id email tenantId } }', {}, login.token);
    expect(me.data!.me).toEqual(login.actor);

    const [audit] = await api.db.dataSource.query(`SELECT actor_type, actor_id, action, request_id FROM audit_log WHERE action = 'auth.login'`);
    expect(audit).toMatchObject({ actor_type: 'operator', actor_id: login.actor.id, action: 'auth.login' });
    expect(audit.request_id).toBeTruthy();
  });

  it('refuses a wrong password and an unknown account with the same generic answer', async () => {
    const wrong = await api.gql(LOGIN, { email: ADMIN_EMAIL, password: 'not-the-password' });
    const unknown = await api.gql(LOGIN, { email: 'nobody@darwin.test', password: 'not-the-password' });
    expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
    expect(errorCode(unknown)).toBe('UNAUTHENTICATED');
    expect(wrong.errors![0]!.message).toBe(unknown.errors![0]!.message);
    expect(wrong.data).toBeNull();
  });

  it('refuses every call but login without a valid token', async () => {
    const queries = ['{ tenants { totalCount } }', '{ me { id } }', '{ plans { totalCount } }', '{ mailboxes { totalCount } }'];
    for (const q of queries) expect(errorCode(await api.gql(q))).toBe('UNAUTHENTICATED');

    expect(errorCode(await api.gql('{ tenants { totalCount } }', {}, 'not.a.token'))).toBe('UNAUTHENTICATED');

    const admin = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const [h, p, s] = admin.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), role: 'platform_admin', sub: '00000000-0000-4000-8000-000000000000' })).toString('base64url')}.${s}`;
    expect(errorCode(await api.gql('{ me { id } }', {}, tampered))).toBe('UNAUTHENTICATED');

    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const expired = signAccessToken({ ...claims, iat: claims.iat - 7200, exp: Math.floor(Date.now() / 1000) - 1 }, JWT_SECRET);
    expect(errorCode(await api.gql('{ me { id } }', {}, expired))).toBe('UNAUTHENTICATED');

    const otherKey = signAccessToken(claims, 'another-secret-of-at-least-thirty-two-chars');
    expect(errorCode(await api.gql('{ me { id } }', {}, otherKey))).toBe('UNAUTHENTICATED');

    // The same claims signed with the right key pass: the refusals above are about the token.
    expect((await api.gql('{ me { id } }', {}, signAccessToken(claims, JWT_SECRET))).data!.me.id).toBe(claims.sub);
  });

  it('logs a mailbox owner in by address, and refuses suspended mailboxes', async () => {
    const tenantId = await insertTenant(api.db.dataSource, 'Owner Co');
    const domainId = await insertDomain(api.db.dataSource, tenantId, 'owner.test');
    const mailboxId = await insertMailbox(api.db.dataSource, domainId, 'alice', 'alice-password-1');

    const res = await api.gql(LOGIN, { email: 'Alice@OWNER.test', password: 'alice-password-1' });
    expect(res.data!.login.actor).toEqual({ kind: 'mailbox', role: 'mailbox_owner', id: mailboxId, email: 'alice@owner.test', tenantId });
    const token = res.data!.login.token as string;
    expect((await api.gql('{ me { id } }', {}, token)).data!.me.id).toBe(mailboxId);

    await api.db.dataSource.query('UPDATE mailboxes SET login_suspended = true WHERE id = $1', [mailboxId]);
    expect(errorCode(await api.gql(LOGIN, { email: 'alice@owner.test', password: 'alice-password-1' }))).toBe('UNAUTHENTICATED');
    // A token issued before the suspension stops working too.
    expect(errorCode(await api.gql('{ me { id } }', {}, token))).toBe('UNAUTHENTICATED');

    await api.db.dataSource.query('UPDATE mailboxes SET login_suspended = false WHERE id = $1', [mailboxId]);
    await api.db.dataSource.query(`UPDATE tenants SET status = 'suspended' WHERE id = $1`, [tenantId]);
    expect(errorCode(await api.gql(LOGIN, { email: 'alice@owner.test', password: 'alice-password-1' }))).toBe('UNAUTHENTICATED');
    await api.db.dataSource.query(`UPDATE tenants SET status = 'active' WHERE id = $1`, [tenantId]);
    await api.db.dataSource.query(`UPDATE domains SET status = 'suspended' WHERE id = $1`, [domainId]);
    expect(errorCode(await api.gql(LOGIN, { email: 'alice@owner.test', password: 'alice-password-1' }))).toBe('UNAUTHENTICATED');
  });

  it('keeps role checks: a mailbox owner cannot call admin mutations', async () => {
    const tenantId = await insertTenant(api.db.dataSource, 'Role Co');
    const domainId = await insertDomain(api.db.dataSource, tenantId, 'role.test');
    await insertMailbox(api.db.dataSource, domainId, 'bob', 'bob-password-12');
    const token = await api.login('bob@role.test', 'bob-password-12');
    const res = await api.gql('mutation { createTenant(input: { name: "x" }) { id } }', {}, token);
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(errorCode(await api.gql('{ tenants { totalCount } }', {}, token))).toBe('FORBIDDEN');
  });

  it('never writes passwords or tokens to the log', async () => {
    const token = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    await api.gql('{ me { id } }', {}, token);
    await api.gql(LOGIN, { email: ADMIN_EMAIL, password: 'wrong-password-987' });
    const log = api.logLines.join('');
    expect(log).toContain('"msg":"request"');
    expect(log).toContain('"msg":"login refused"');
    expect(log).not.toContain(ADMIN_PASSWORD);
    expect(log).not.toContain('wrong-password-987');
    expect(log).not.toContain(token.split('.')[2]);
  });

  it('answers the health check without a token, and refuses bodies over 1 MB', async () => {
    const health = await fetch(`${api.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(health.headers.get('x-request-id')).toBeTruthy();

    const big = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }', variables: { pad: 'x'.repeat(1024 * 1024) } }),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('reports 503 on /health when the database cannot be reached', async () => {
    const unreachable = createDataSource({ url: 'postgres://nobody:x@127.0.0.1:1/none' }); // never initialised
    const app = await createApiApp({
      config: loadConfig({ DARWIN_JWT_SECRET: JWT_SECRET }),
      dataSource: unreachable,
      logger: createLogger({}, { write: () => {} }),
    });
    try {
      const url = await listen(app, '127.0.0.1', 0);
      const res = await fetch(`${url}/health`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { status: string }).status).not.toBe('ok');
    } finally {
      await app.close();
    }
  });

  it('logs expected refusals as warnings at most, never as errors', () => {
    // Every test above refused something (UNAUTHENTICATED, FORBIDDEN, 413); none is an error.
    const errors = api.logLines.filter((l) => l.includes('"level":"error"'));
    expect(errors).toEqual([]);
  });
});
