import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, gql, ok } from './helpers/graphql-client.js';
import { insertDomain, insertMailbox, insertTenant } from './helpers/seed.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startApi, type TestApi } from './helpers/start-api.js';

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresAt refreshToken refreshExpiresAt actor { id } } }`;
const REFRESH = `mutation($r: String) { refresh(refreshToken: $r) { token refreshToken actor { id email } } }`;

/** The value of our refresh cookie in a response's Set-Cookie headers, and its attributes. */
function refreshCookie(headers: Headers): { value: string; attrs: string } | undefined {
  for (const c of headers.getSetCookie()) {
    const m = /^darwin_refresh=([^;]*);(.*)$/.exec(c);
    if (m) return { value: m[1]!, attrs: m[2]! };
  }
  return undefined;
}

describe('sessions: access tokens, refresh tokens and the refresh cookie', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ settingsEnv: { DARWIN_REFRESH_TOKEN_TTL: '2h' } });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('login answers a refresh token and sets it as an httpOnly, SameSite=Strict cookie limited to /graphql', async () => {
    const res = await api.gql(LOGIN, { e: ADMIN_EMAIL, p: ADMIN_PASSWORD });
    const login = ok(res).login;
    expect(login.refreshToken).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
    const ttl = new Date(login.refreshExpiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(119 * 60_000);
    expect(ttl).toBeLessThanOrEqual(120 * 60_000);
    const cookie = refreshCookie(res.headers)!;
    expect(cookie.value).toBe(login.refreshToken);
    expect(cookie.attrs).toMatch(/Path=\/graphql/);
    expect(cookie.attrs).toMatch(/SameSite=Strict/);
    expect(cookie.attrs).toMatch(/HttpOnly/);
    expect(cookie.attrs).toMatch(/Max-Age=7200/);
    // Only a hash is stored.
    const rows: { token_hash: string }[] = await api.db.dataSource.query('SELECT token_hash FROM refresh_tokens');
    expect(rows.some((r) => r.token_hash.length === 64)).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(login.refreshToken.slice(3));
  });

  it('refresh rotates: the new token works, the used one ends the whole session when presented again', async () => {
    const first = ok(await api.gql(LOGIN, { e: ADMIN_EMAIL, p: ADMIN_PASSWORD })).login;
    const second = ok(await api.gql(REFRESH, { r: first.refreshToken })).refresh;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.actor.email).toBe(ADMIN_EMAIL);
    expect(ok(await api.gql('{ me { id } }', {}, second.token)).me.id).toBe(first.actor.id);

    const replay = await api.gql(REFRESH, { r: first.refreshToken });
    expect(errorCode(replay)).toBe('UNAUTHENTICATED');
    expect(replay.errors![0]!.extensions!.reason).toBe('REFRESH_TOKEN_REUSED');
    // The thief's replay revoked the family: the legitimate successor is dead too.
    expect(errorCode(await api.gql(REFRESH, { r: second.refreshToken }))).toBe('UNAUTHENTICATED');
    const [audit] = await api.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.refresh'`);
    expect(audit.n).toBeGreaterThanOrEqual(1);
  });

  it('refuses garbage, unknown and expired refresh tokens', async () => {
    for (const r of ['', 'nope', `rt_${'A'.repeat(43)}`]) expect(errorCode(await api.gql(REFRESH, { r }))).toBe('UNAUTHENTICATED');
    const login = ok(await api.gql(LOGIN, { e: ADMIN_EMAIL, p: ADMIN_PASSWORD })).login;
    await api.db.dataSource.query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second'`);
    expect(errorCode(await api.gql(REFRESH, { r: login.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('the cookie alone refreshes for a same-origin (or Origin-less) request, and a foreign Origin is refused', async () => {
    const login = await api.gql(LOGIN, { e: ADMIN_EMAIL, p: ADMIN_PASSWORD });
    const cookie = `darwin_refresh=${refreshCookie(login.headers)!.value}`;
    const foreign = await gql(api.url, REFRESH, {}, undefined, { cookie, origin: 'https://evil.example' });
    expect(errorCode(foreign)).toBe('FORBIDDEN');
    const same = await gql(api.url, REFRESH, {}, undefined, { cookie, origin: api.url });
    expect(ok(same).refresh.actor.email).toBe(ADMIN_EMAIL);
    // The answer sets the next cookie.
    expect(refreshCookie(same.headers)!.value).toBe(ok(same).refresh.refreshToken);
    expect(errorCode(await gql(api.url, REFRESH, {}, undefined, {}))).toBe('UNAUTHENTICATED');
  });

  it('a cross-site form post cannot reach a mutation at all (no JSON, no preflight header: refused before resolving)', async () => {
    const login = await api.gql(LOGIN, { e: ADMIN_EMAIL, p: ADMIN_PASSWORD });
    const cookie = `darwin_refresh=${refreshCookie(login.headers)!.value}`;
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', cookie },
      body: JSON.stringify({ query: 'mutation { refresh { token } }' }),
    });
    expect(res.status).toBe(400);
    expect(refreshCookie(res.headers)).toBeUndefined();
  });

  it('logout ends the session and clears the cookie', async () => {
    const login = ok(await api.gql(LOGIN, { e: ADMIN_EMAIL, p: ADMIN_PASSWORD })).login;
    const out = await api.gql('mutation($r: String) { logout(refreshToken: $r) }', { r: login.refreshToken });
    expect(ok(out).logout).toBe(true);
    expect(refreshCookie(out.headers)!.attrs).toMatch(/Max-Age=0/);
    expect(errorCode(await api.gql(REFRESH, { r: login.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('a suspended mailbox cannot refresh, and a password change ends its other sessions', async () => {
    const tenantId = await insertTenant(api.db.dataSource, 'Refresh Co');
    const domainId = await insertDomain(api.db.dataSource, tenantId, 'refresh.test');
    const mailboxId = await insertMailbox(api.db.dataSource, domainId, 'carol', 'carol-password-1');
    const a = ok(await api.gql(LOGIN, { e: 'carol@refresh.test', p: 'carol-password-1' })).login;
    await api.db.dataSource.query('UPDATE mailboxes SET login_suspended = true WHERE id = $1', [mailboxId]);
    expect(errorCode(await api.gql(REFRESH, { r: a.refreshToken }))).toBe('UNAUTHENTICATED');
    await api.db.dataSource.query('UPDATE mailboxes SET login_suspended = false WHERE id = $1', [mailboxId]);

    const b = ok(await api.gql(LOGIN, { e: 'carol@refresh.test', p: 'carol-password-1' })).login;
    const c = ok(await api.gql(LOGIN, { e: 'carol@refresh.test', p: 'carol-password-1' })).login;
    const wrong = await api.gql('mutation { changePassword(currentPassword: "not-it-at-all", newPassword: "carol-password-2") }', {}, c.token);
    expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
    expect(ok(await api.gql('mutation { changePassword(currentPassword: "carol-password-1", newPassword: "carol-password-2") }', {}, c.token)).changePassword).toBe(true);
    expect(errorCode(await api.gql(REFRESH, { r: b.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await api.gql(LOGIN, { e: 'carol@refresh.test', p: 'carol-password-1' }))).toBe('UNAUTHENTICATED');
    expect(ok(await api.gql(LOGIN, { e: 'carol@refresh.test', p: 'carol-password-2' })).login.actor.id).toBe(mailboxId);
  });
});
