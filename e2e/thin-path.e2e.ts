import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@darwin/db';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineClient } from '../tools/test-support/line-client.js';
import { pollUntil } from '../tools/test-support/poll-until.js';
import { gql, gqlOk } from './support/graphql.js';
import { run } from './support/run.js';
import { startStack, type Stack, type StackPorts } from './support/start-stack.js';

// A body with the two classic traps: a line that starts with a dot and 8-bit UTF-8 text.
const RAW = [
  'From: Sender <sender@remote.example>',
  'To: Owner <owner@e2e-domain.test>',
  'Subject: thin path',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: 8bit',
  '',
  'First line.',
  '.a line that starts with a dot',
  '..and one with two',
  'Grüße aus Zürich, naïve café, ✓ 日本語',
  '',
].join('\r\n');

async function expectNothingListening(ports: StackPorts): Promise<void> {
  for (const port of Object.values(ports)) {
    const probe = await run('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`]);
    expect(probe.code, `port ${port} still open`).not.toBe(0);
  }
}

function bodyOf(stored: Buffer): Buffer {
  // What the server stored is our message with its Received header(s) in front.
  const at = stored.indexOf('From: Sender');
  expect(at).toBeGreaterThan(0);
  expect(stored.subarray(0, at).toString()).toMatch(/^Received: from /);
  return stored.subarray(at);
}

async function pop3Retr(port: number, user: string, pass: string, n: number): Promise<Buffer> {
  const c = await LineClient.open(port);
  try {
    expect(await c.readUntil(/^\+OK/)).toMatch(/^\+OK/);
    expect(await c.command(`USER ${user}`, /^[+-]/)).toMatch(/^\+OK/);
    expect(await c.command(`PASS ${pass}`, /^[+-]/)).toMatch(/^\+OK/);
    c.write(`RETR ${n}\r\n`);
    const first = await c.readUntil(/^[+-]/);
    expect(first).toMatch(/^\+OK/);
    const body = await c.readUntil(/^\.$/);
    await c.command('QUIT', /^[+-]/);
    const lines = body.slice(0, -3).split('\r\n');
    lines.pop();
    // Undo dot-stuffing (RFC 1939 3).
    return Buffer.from(lines.map((l) => (l.startsWith('.') ? l.slice(1) : l)).join('\r\n') + '\r\n', 'latin1');
  } finally {
    c.close();
  }
}

describe('thin path over the real stack (npm start, embedded PostgreSQL)', () => {
  let stack: Stack;
  let token: string;
  const address = 'owner@e2e-domain.test';
  const password = 'owner-password-1';

  beforeAll(async () => {
    // Two engine processes sharing the ports (Node cluster), as a provider would run on a multi-core
    // machine; the dashboard suite runs the default single process.
    stack = await startStack({ env: { DARWIN_ENGINE_PROCESSES: '2' } });
  });

  afterAll(async () => {
    if (stack) {
      await stack.stop();
      await rm(stack.dataDir, { recursive: true, force: true });
    }
  });

  it('prints where everything listens and the first login', async () => {
    // Both engine workers come up (the banner appears once the first one accepts connections).
    await pollUntil('two engine workers', async () => (stack.output().match(/mail-engine listening/g) ?? []).length === 2);
    const out = stack.output();
    expect(out).toContain(`GraphQL API    http://127.0.0.1:${stack.ports.api}/graphql`);
    expect(out).toContain(`SMTP (MX)      127.0.0.1:${stack.ports.smtp}`);
    expect(out).toContain(`Submission     127.0.0.1:${stack.ports.submission} (STARTTLS)   SMTPS 127.0.0.1:${stack.ports.smtps} (TLS)`);
    expect(out).toContain(`IMAP           127.0.0.1:${stack.ports.imap}   IMAPS (TLS) 127.0.0.1:${stack.ports.imaps}`);
    expect(out).toContain(`POP3           127.0.0.1:${stack.ports.pop3}   POP3S (TLS) 127.0.0.1:${stack.ports.pop3s}`);
    expect(out).toContain('Platform admin created: admin@e2e.test');
    expect(out).toMatch(/\[api\] +/);
    expect(out).toMatch(/\[engine\] +/);
    expect(out).toContain('starting engine workers');
    expect(out.match(/mail-engine listening/g)).toHaveLength(2);
    expect(out).toMatch(/\[dashboard\] +/);
  });

  it('refuses GraphQL without a token', async () => {
    const r = await gql(stack.ports.api, '{ tenants { totalCount } }');
    expect(r.data).toBeFalsy();
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('creates a tenant, a domain and a mailbox over GraphQL', async () => {
    const login = await gqlOk<{ login: { token: string } }>(stack.ports.api, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
      e: stack.adminEmail,
      p: stack.adminPassword,
    });
    token = login.login.token;
    const t = await gqlOk<{ createTenant: { id: string } }>(stack.ports.api, 'mutation { createTenant(input: { name: "E2E Customer" }) { id } }', {}, token);
    const d = await gqlOk<{ createDomain: { id: string; name: string } }>(
      stack.ports.api,
      'mutation($t: ID!) { createDomain(input: { tenantId: $t, name: "E2E-Domain.test" }) { id name } }',
      { t: t.createTenant.id },
      token,
    );
    expect(d.createDomain.name).toBe('e2e-domain.test');
    const m = await gqlOk<{ createMailbox: { id: string; address: string } }>(
      stack.ports.api,
      'mutation($d: ID!, $p: String!) { createMailbox(input: { domainId: $d, localPart: "owner", password: $p }) { id address } }',
      { d: d.createDomain.id, p: password },
      token,
    );
    expect(m.createMailbox.address).toBe(address);
    const list = await gqlOk<{ mailboxes: { totalCount: number; nodes: { address: string }[] } }>(
      stack.ports.api,
      'query($d: ID) { mailboxes(domainId: $d, first: 10) { totalCount nodes { address } } }',
      { d: d.createDomain.id },
      token,
    );
    expect(list.mailboxes.totalCount).toBe(1);
    expect(list.mailboxes.nodes[0]!.address).toBe(address);
  });

  it('accepts a message with swaks and nodemailer; 550 5.1.1 for unknown users, 554 5.7.1 for relaying', async () => {
    const swaks = await run('swaks', ['--server', `127.0.0.1:${stack.ports.smtp}`, '--to', address, '--from', 'sender@remote.example', '--data', '-', '--helo', 'client.example'], {
      // swaks ends DATA with CRLF . CRLF after the text, so it gets the text without its final line end.
      input: RAW.slice(0, -2).replace(/\r\n/g, '\n'),
    });
    expect(swaks.code, swaks.stdout.toString()).toBe(0);
    expect(swaks.stdout.toString()).toMatch(/<- {2}250 2\.0\.0 Ok: stored/);

    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: stack.ports.smtp, secure: false, ignoreTLS: true });
    await transport.sendMail({ envelope: { from: 'sender@remote.example', to: [address] }, raw: RAW });

    const unknown = await run('swaks', ['--server', `127.0.0.1:${stack.ports.smtp}`, '--to', 'nobody@e2e-domain.test', '--quit-after', 'RCPT']);
    expect(unknown.stdout.toString()).toContain('550 5.1.1');
    const relay = await run('swaks', ['--server', `127.0.0.1:${stack.ports.smtp}`, '--to', 'someone@elsewhere.example', '--quit-after', 'RCPT']);
    expect(relay.stdout.toString()).toContain('554 5.7.1');
  });

  it('reads the message byte for byte over IMAP (imapflow and curl) and POP3 (raw socket and curl)', async () => {
    // The server offers STARTTLS with its self-signed development certificate; imapflow upgrades.
    const client = new ImapFlow({ host: '127.0.0.1', port: stack.ports.imap, secure: false, tls: { rejectUnauthorized: false }, auth: { user: address, pass: password }, logger: false });
    await client.connect();
    const sources: Buffer[] = [];
    try {
      const box = await client.mailboxOpen('INBOX');
      expect(box.exists).toBe(2);
      for await (const msg of client.fetch('1:*', { uid: true, source: true, size: true })) {
        expect(msg.size).toBe(msg.source!.length);
        sources.push(msg.source!);
      }
    } finally {
      await client.logout();
    }
    // swaks sends LF-terminated input as CRLF on the wire, so both copies carry the same body.
    for (const s of sources) expect(bodyOf(s).equals(Buffer.from(RAW))).toBe(true);

    const imapCurl = await run('curl', ['-s', `imap://127.0.0.1:${stack.ports.imap}/INBOX;UID=1`, '-u', `${address}:${password}`]);
    expect(imapCurl.code).toBe(0);
    expect(imapCurl.stdout.equals(sources[0]!)).toBe(true);

    const popCurl = await run('curl', ['-s', `pop3://127.0.0.1:${stack.ports.pop3}/1`, '-u', `${address}:${password}`]);
    expect(popCurl.code).toBe(0);
    expect(popCurl.stdout.equals(sources[0]!)).toBe(true);

    const popRaw = await pop3Retr(stack.ports.pop3, address, password, 2);
    expect(popRaw.equals(sources[1]!)).toBe(true);

    // The same over implicit TLS (self-signed development certificate, hence --insecure).
    const imaps = await run('curl', ['-s', '--insecure', `imaps://127.0.0.1:${stack.ports.imaps}/INBOX;UID=2`, '-u', `${address}:${password}`]);
    expect(imaps.code, imaps.stderr).toBe(0);
    expect(imaps.stdout.equals(sources[1]!)).toBe(true);
    const pop3s = await run('curl', ['-s', '--insecure', `pop3s://127.0.0.1:${stack.ports.pop3s}/1`, '-u', `${address}:${password}`]);
    expect(pop3s.code, pop3s.stderr).toBe(0);
    expect(pop3s.stdout.equals(sources[0]!)).toBe(true);
  });

  it('refuses wrong passwords: IMAP NO [AUTHENTICATIONFAILED], POP3 -ERR, and stays up', async () => {
    const imap = await LineClient.open(stack.ports.imap);
    try {
      await imap.readUntil(/^\* OK/);
      expect(await imap.command(`a1 LOGIN ${address} wrong-password`, /^a1 /)).toMatch(/^a1 NO \[AUTHENTICATIONFAILED\]/m);
    } finally {
      imap.close();
    }
    const pop = await LineClient.open(stack.ports.pop3);
    try {
      await pop.readUntil(/^\+OK/);
      await pop.command(`USER ${address}`, /^[+-]/);
      expect(await pop.command('PASS wrong-password', /^[+-]/)).toMatch(/^-ERR/);
    } finally {
      pop.close();
    }
    const again = await run('curl', ['-s', `pop3://127.0.0.1:${stack.ports.pop3}/`, '-u', `${address}:${password}`]);
    expect(again.stdout.toString()).toMatch(/^1 \d+\r\n2 \d+\r\n$/);
  });

  it('stops everything on SIGTERM, leaving nothing listening; a second start reuses the data', async () => {
    const code = await stack.stop();
    expect(code).toBe(0);
    expect(existsSync(join(stack.dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    await expectNothingListening(stack.ports);
    const second = await startStack({ dataDir: stack.dataDir, ports: stack.ports, env: { DARWIN_ENGINE_PROCESSES: '2' } });
    stack = second;
    expect(second.output()).not.toContain('Platform admin created');
    const imapCurl = await run('curl', ['-s', `imap://127.0.0.1:${second.ports.imap}/INBOX;UID=2`, '-u', `${address}:${password}`]);
    expect(bodyOf(imapCurl.stdout).equals(Buffer.from(RAW))).toBe(true);
  });

  it('stops everything on Ctrl-C (SIGINT to the whole process group), leaving no process and nothing listening', async () => {
    const pgid = stack.process.pid!;
    const code = await stack.interrupt();
    expect(code).toBe(0);
    expect(stack.output()).toContain('stopped');
    expect(existsSync(join(stack.dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    // No member of the launcher's process group is left (kill -0 on the group fails with ESRCH).
    await pollUntil('process group gone', async () => {
      try {
        process.kill(-pgid, 0);
        return false;
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === 'ESRCH';
      }
    });
    await expectNothingListening(stack.ports);
  });
});

describe('with DATABASE_URL set', () => {
  let stack: Stack | undefined;
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    stack = await startStack({ databaseUrl: db.url });
  });
  afterAll(async () => {
    if (stack) {
      await stack.stop();
      await rm(stack.dataDir, { recursive: true, force: true });
    }
    await db?.drop();
  });

  it('uses that server, migrates it, and starts no embedded PostgreSQL', async () => {
    const s = stack!;
    expect(s.output()).toContain('Database       PostgreSQL from DATABASE_URL');
    expect(s.output()).not.toContain('[postgres]');
    expect(existsSync(join(s.dataDir, 'postgres'))).toBe(false);
    const probe = await run('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${s.ports.pg}`]);
    expect(probe.code, 'nothing listens on the embedded port').not.toBe(0);
    const login = await gqlOk<{ login: { token: string } }>(s.ports.api, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: s.adminEmail, p: s.adminPassword });
    expect(login.login.token).toBeTruthy();
    // The admin and the schema live in the server we named.
    const rows: Array<{ email: string }> = await db.dataSource.query('SELECT email FROM operators');
    expect(rows.map((r) => r.email)).toContain(s.adminEmail);
  });
});

describe('bad settings', () => {
  it('stop start-up with a message naming the variable and the expected form', async () => {
    const r = await run(process.execPath, ['tools/launcher/dist/main.js'], { env: { ...process.env, DARWIN_SMTP_PORT: 'abc', DARWIN_DATA_DIR: '/nonexistent-never-created' } });
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('DARWIN_SMTP_PORT: expected a TCP port (integer 0-65535; 0 picks a free port), got "abc"');
    expect(existsSync('/nonexistent-never-created')).toBe(false);
  });
});
