import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startPop3Fixture, textMessage, type Listening, type Pop3Fixture } from './test-support/pop3-fixture.js';
import { Pop3TestClient } from './test-support/pop3-test-client.js';

const SESSION_CAPS = ['RESP-CODES', 'AUTH-RESP-CODE', 'PIPELINING', 'IMPLEMENTATION Darwin-Mail'];
const PLAINTEXT_DISALLOWED = '-ERR [AUTH] Plaintext authentication disallowed on non-secure connection.';
const M1 = textMessage('tls', 'over TLS\r\n');

describe('POP3 over TLS: STLS (RFC 2595) and implicit TLS (POP3S)', () => {
  let fx: Pop3Fixture;
  /** DARWIN_PLAINTEXT_AUTH=never: passwords only inside TLS. */
  let strict: Listening;

  beforeAll(async () => {
    fx = await startPop3Fixture();
    const mb = await fx.mailbox('tls@pop.test');
    await fx.deliver(mb.mailboxId, M1);
    strict = await fx.listen({ DARWIN_PLAINTEXT_AUTH: 'never' }, { implicitTls: true });
  });
  afterEach(() => Pop3TestClient.destroyAll());
  afterAll(async () => {
    await fx?.close();
  });

  it('STLS upgrades the session in place: no new greeting, CAPA then offers USER and SASL but no STLS, login works', async () => {
    const c = await Pop3TestClient.greeted(strict.port);
    expect((await c.lines('CAPA')).lines).toEqual(['TOP', 'UIDL', 'STLS', ...SESSION_CAPS]);
    expect(await c.command('USER tls@pop.test')).toBe(PLAINTEXT_DISALLOWED);
    expect(await c.command('STLS')).toBe('+OK Begin TLS negotiation');
    const secure: TLSSocket = await c.upgradeToTls(fx.ca);
    expect(secure.authorized).toBe(true);
    expect(secure.getProtocol()).toMatch(/^TLSv1\.[23]$/);
    expect((await c.lines('CAPA')).lines).toEqual(['TOP', 'UIDL', 'USER', 'SASL PLAIN LOGIN', ...SESSION_CAPS]);
    expect(await c.command('STLS')).toBe('-ERR TLS is already active.');
    await c.login('tls@pop.test', PASSWORD);
    expect((await c.multi('RETR 1')).body.toString()).toBe(M1);
    expect(await c.command('QUIT')).toBe('+OK Bye');
    await c.expectClosed();
  });

  it('discards commands pipelined in clear text after STLS (CVE-2011-0411): none of them runs, none is answered', async () => {
    const c = await Pop3TestClient.greeted(strict.port);
    // An attacker in the middle appends commands to the client's STLS in the same packet; if the
    // server kept them, they would run inside the TLS session as if the client had sent them.
    c.sendRaw('STLS\r\nCAPA\r\nUSER tls@pop.test\r\nNOOP\r\n');
    expect(await c.readLine()).toBe('+OK Begin TLS negotiation');
    await c.upgradeToTls(fx.ca);
    // The first thing inside TLS is the answer to our NOOP: before login, and after nothing else.
    expect(await c.command('NOOP')).toBe('-ERR Not logged in: send USER and PASS first.');
    // USER was not remembered: PASS has no user name.
    expect(await c.command(`PASS ${PASSWORD}`)).toBe('-ERR No user name given: send USER first.');
    await new Promise((r) => setTimeout(r, 100));
    expect(await c.command('QUIT')).toBe('+OK Bye');
    expect(await c.readToEnd()).toBe('');
  });

  it('forgets a USER given before STLS', async () => {
    const c = await Pop3TestClient.greeted(fx.port); // plaintext allowed here
    expect(await c.command('USER tls@pop.test')).toBe('+OK');
    expect(await c.command('STLS')).toBe('+OK Begin TLS negotiation');
    await c.upgradeToTls(fx.ca);
    expect(await c.command(`PASS ${PASSWORD}`)).toBe('-ERR No user name given: send USER first.');
    await c.login('tls@pop.test', PASSWORD);
    await c.command('QUIT');
  });

  it('refuses STLS with arguments and after login, and keeps serving in clear text', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    expect(await c.command('STLS now')).toBe('-ERR This command takes no arguments.');
    await c.login('tls@pop.test', PASSWORD);
    expect(await c.command('STLS')).toBe('-ERR Not allowed after login.');
    expect(await c.command('STAT')).toMatch(/^\+OK 1 \d+$/);
    await c.command('QUIT');
  });

  it('closes the connection when the client answers +OK with something that is not TLS', async () => {
    const c = await Pop3TestClient.greeted(strict.port);
    expect(await c.command('STLS')).toBe('+OK Begin TLS negotiation');
    c.sendRaw('USER tls@pop.test\r\n');
    await c.expectClosed();
    expect(await c.readToEnd()).toBe('');
  });

  it('ends a session whose TLS handshake never starts at the pre-login timeout', async () => {
    const quick = await fx.listen({ DARWIN_PREAUTH_TIMEOUT: '400ms' });
    const c = await Pop3TestClient.greeted(quick.port);
    expect(await c.command('STLS')).toBe('+OK Begin TLS negotiation');
    const started = Date.now();
    await c.expectClosed(5_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    await quick.stop();
  });

  it('implicit TLS (POP3S): secure from the first byte, no STLS offered, passwords allowed', async () => {
    const c = await Pop3TestClient.greeted(strict.tlsPort!, fx.ca);
    expect((c.socket as TLSSocket).authorized).toBe(true);
    expect((await c.lines('CAPA')).lines).toEqual(['TOP', 'UIDL', 'USER', 'SASL PLAIN LOGIN', ...SESSION_CAPS]);
    expect(await c.command('STLS')).toBe('-ERR TLS is already active.');
    await c.login('tls@pop.test', PASSWORD);
    expect((await c.multi('RETR 1')).body.toString()).toBe(M1);
    expect(await c.command('QUIT')).toBe('+OK Bye');
    await c.expectClosed();
  });

  it('server shutdown reaches sessions that started TLS', async () => {
    const l = await fx.listen({}, { implicitTls: true });
    const viaStls = await Pop3TestClient.greeted(l.port);
    await viaStls.command('STLS');
    await viaStls.upgradeToTls(fx.ca);
    const implicit = await Pop3TestClient.greeted(l.tlsPort!, fx.ca);
    const stopped = l.stop();
    expect(await viaStls.readLine()).toBe('-ERR [SYS/TEMP] Server shutting down.');
    expect(await implicit.readLine()).toBe('-ERR [SYS/TEMP] Server shutting down.');
    await stopped;
  });
});
