import { createLogger } from '@darwin/logger';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator } from '../auth/authenticator.js';
import { PASSWORD, startPop3Fixture, type Pop3Fixture } from './test-support/pop3-fixture.js';
import { Pop3TestClient } from './test-support/pop3-test-client.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const WRONG = 'Tr0ub4dor&3 wrong';
/** Its base64, "aHVudGVy", is all letters: it looks like a command keyword. */
const STRAY = 'hunter';

describe('POP3 logs at debug level carry no secret', () => {
  let fx: Pop3Fixture;
  const lines: string[] = [];
  let port: number;

  beforeAll(async () => {
    fx = await startPop3Fixture();
    await fx.mailbox('logs@pop.test');
    // Everything at debug, the Authenticator's lines included, JSON like production.
    const logger = createLogger({ app: 'test' }, { level: 'debug', format: 'json', write: (l) => void lines.push(l) });
    const auth = new Authenticator({ store: fx.store, logger, failureDelayMs: 1 });
    ({ port } = await fx.listen({}, { logger, auth }));
  });
  afterEach(() => Pop3TestClient.destroyAll());
  afterAll(async () => {
    await fx?.close();
  });

  it('never writes passwords or SASL responses, in any form, for USER/PASS, AUTH PLAIN and AUTH LOGIN', async () => {
    const user = 'logs@pop.test';
    const c = await Pop3TestClient.greeted(port);
    // USER/PASS, wrong then right.
    await c.command(`USER ${user}`);
    expect(await c.command(`PASS ${WRONG}`)).toBe('-ERR [AUTH] Authentication failed.');
    // AUTH PLAIN with initial response, wrong; then without, right.
    expect(await c.command(`AUTH PLAIN ${b64(`\0${user}\0${WRONG}`)}`)).toBe('-ERR [AUTH] Authentication failed.');
    // A client that pipelines its answer after a refusal: the line reaches the dispatcher as a command.
    expect(await c.command('AUTH CRAM-MD5')).toBe('-ERR Unsupported authentication mechanism.');
    expect(await c.command(b64(STRAY))).toBe('-ERR Unknown command.');
    // AUTH LOGIN, both steps, wrong.
    await c.command('AUTH LOGIN');
    await c.command(b64(user));
    expect(await c.command(b64(WRONG))).toBe('-ERR [AUTH] Authentication failed.');
    await c.command('AUTH PLAIN');
    expect(await c.command(b64(`${user}\0${user}\0${PASSWORD}`))).toBe('+OK Logged in.');
    expect(await c.command('QUIT')).toBe('+OK Bye');
    await c.expectClosed();

    const log = lines.join('');
    // The test is only worth something if the commands were logged at all.
    expect(log).toContain('"cmd":"PASS","args":"***"');
    expect(log).toContain('"cmd":"AUTH","args":"***"');
    expect(log).toMatch(/"msg":"SASL exchange".*"mechanism":"LOGIN"/);
    expect(log).toMatch(/"msg":"logged in".*"method":"SASL PLAIN"/);
    expect(log).toMatch(/"msg":"login failed".*"user":"logs@pop.test"/);
    const secrets = [PASSWORD, WRONG, b64(WRONG), b64(`\0${user}\0${WRONG}`), b64(`${user}\0${user}\0${PASSWORD}`), 'Tr0ub4dor', 'horse'];
    for (const secret of secrets) expect(log, secret).not.toContain(secret);
    // Nor a case-changed copy of the stray base64 line.
    expect(log.toLowerCase()).not.toContain(b64(STRAY).toLowerCase());
  });
});
