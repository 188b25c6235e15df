import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from '@darwin/config';
import { createTestDatabase, seedMailbox, type SeededMailbox, type TestDatabase } from '@darwin/db';
import { createLogger } from '@darwin/logger';
import { PgMailStore, PgOutboundQueue, spoolBuffer } from '@darwin/mail-store';
import { dkimVerify } from 'mailauth';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeDns } from '../../../../tools/test-support/fake-dns.js';
import { pollUntil } from '../../../../tools/test-support/poll-until.js';
import { DnsClient } from '@darwin/core';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { generateSelfSigned } from '../tls/self-signed.js';
import { fetchPolicyText, lookupVia, MtaStsResolver } from './mta-sts.js';
import { Router } from './routing.js';
import { BrokenTlsMx } from './testing/broken-tls-mx.js';
import { FakeMx } from './testing/fake-mx.js';
import { OutboundWorkers } from './worker.js';

const logger = createLogger({ app: 'test' }, { level: 'error' });

interface QueueRow {
  id: string;
  state: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date;
  blob_id: string | null;
  mail_from: string;
  rcpt_to: string;
}

describe('outbound queue workers (real PostgreSQL, fake DNS, fake remote MX)', () => {
  let db: TestDatabase;
  let store: PgMailStore;
  let queue: PgOutboundQueue;
  let dns: FakeDns;
  let mx: FakeMx;
  let config: Config;
  let router: Router;
  let workers: OutboundWorkers;
  let alice: SeededMailbox;
  let bob: SeededMailbox;
  let publicKeyTxt: string;
  let n = 0;

  function startWorkers(extra: Partial<{ id: string; lanes: number; concurrency: number }> = {}): OutboundWorkers {
    const c = { ...config, queueWorkers: extra.lanes ?? config.queueWorkers, destinationConcurrency: extra.concurrency ?? config.destinationConcurrency };
    const w = new OutboundWorkers({ config: c, store, queue, logger, router, databaseUrl: db.url, id: extra.id });
    return w;
  }

  async function submit(opts: {
    from?: SeededMailbox;
    mailFrom?: string;
    to: string[];
    body?: string;
    dsn?: Record<string, unknown>;
    rcptDsn?: Record<string, Record<string, unknown>>;
    expiresAt?: Date;
  }): Promise<string[]> {
    const from = opts.from ?? alice;
    const mailFrom = opts.mailFrom ?? from.address;
    const raw = `From: ${mailFrom || 'MAILER-DAEMON@darwin.test'}\r\nTo: ${opts.to.join(', ')}\r\nSubject: message ${++n}\r\nMessage-ID: <m${n}@darwin.test>\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n\r\n${opts.body ?? `Hello number ${n}.\r\n`}`;
    const msg = await spoolBuffer(Buffer.from(raw));
    try {
      const r = await store.accept(msg, {
        targets: [],
        outbound: {
          tenantId: from.tenantId,
          mailboxId: from.mailboxId,
          mailFrom,
          recipients: opts.to.map((address) => ({ address, dsn: opts.rcptDsn?.[address] })),
          dsn: opts.dsn,
          expiresAt: opts.expiresAt,
        },
      });
      return r.queued;
    } finally {
      await msg.dispose();
    }
  }

  async function rows(ids: readonly string[]): Promise<QueueRow[]> {
    return db.dataSource.query('SELECT * FROM outbound_queue WHERE id = ANY ($1::bigint[]) ORDER BY id', [ids]);
  }

  async function final(ids: readonly string[], timeoutMs?: number): Promise<QueueRow[]> {
    return pollUntil('final states', async () => {
      const r = await rows(ids);
      return r.every((x) => ['sent', 'bounced', 'cancelled'].includes(x.state)) && r;
    }, timeoutMs);
  }

  async function inbox(m: SeededMailbox): Promise<Buffer[]> {
    const folder = (await store.getFolder(m.mailboxId, 'INBOX'))!;
    const out: Buffer[] = [];
    for (const msg of await store.listMessages(folder.id)) {
      const parts: Buffer[] = [];
      for await (const c of store.openBlob(msg.blobId)) parts.push(c as Buffer);
      out.push(Buffer.concat(parts));
    }
    return out;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PgMailStore({ url: db.url });
    queue = new PgOutboundQueue(store.pool);
    alice = await seedMailbox(db.dataSource, { address: 'alice@darwin.test', password: 'alice-password' });
    bob = await seedMailbox(db.dataSource, { address: 'bob@darwin.test', password: 'bob-password' });
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    await db.dataSource.query(`UPDATE domains SET dkim_selector = 'dm2026', dkim_private_key = $1, dkim_public_key = $2 WHERE name = 'darwin.test'`, [privateKey, publicKey]);
    const der = createPublicKey(publicKey).export({ type: 'spki', format: 'der' }).toString('base64');
    publicKeyTxt = `v=DKIM1; k=rsa; p=${der}`;
    mx = await FakeMx.start();
    dns = await FakeDns.start({
      'dm2026._domainkey.darwin.test': { TXT: [publicKeyTxt] },
      'nullmx.example': { MX: [{ priority: 0, exchange: '.' }] },
      'viamx.example': { MX: [{ priority: 10, exchange: 'dead.viamx.example' }, { priority: 20, exchange: 'live.viamx.example' }] },
      'dead.viamx.example': { A: ['127.0.0.2'] },
      'live.viamx.example': { A: ['127.0.0.1'] },
      'broken.example': { fail: 'SERVFAIL' },
    });
    config = loadConfig({
      DARWIN_HOSTNAME: 'mail.darwin.test',
      DARWIN_TRANSPORT_MAP: `remote.example=127.0.0.1:${mx.port},other.example=127.0.0.1:${mx.port}`,
      DARWIN_DNS_SERVERS: dns.server,
      DARWIN_DNS_TIMEOUT: '500ms',
      DARWIN_RETRY_SCHEDULE: '1s',
      DARWIN_QUEUE_POLL_INTERVAL: '100ms',
      DARWIN_QUEUE_LEASE: '5s',
      DARWIN_QUEUE_WORKERS: '2',
      DARWIN_OUTBOUND_CONNECT_TIMEOUT: '2s',
      DARWIN_OUTBOUND_TIMEOUT: '5s',
    });
    router = new Router({ resolver: DnsClient.fromConfig(config), transportMap: config.transportMap, mxPort: mx.port });
  });

  beforeEach(async () => {
    mx.reset();
    workers = startWorkers();
    await workers.start();
  });

  afterEach(async () => {
    await workers.stop(1_000);
    await db.dataSource.query(`UPDATE outbound_queue SET state = 'cancelled', blob_id = NULL, lease_until = NULL WHERE state NOT IN ('sent', 'bounced', 'cancelled')`);
  });

  afterAll(async () => {
    await mx?.close();
    await dns?.close();
    await store?.close();
    await db?.drop();
  });

  it('delivers through the transport map over opportunistic STARTTLS, DKIM-signed verifiably, and records it', async () => {
    const ids = await submit({ to: ['carol@remote.example'] });
    const [{ blob_id: blobId }] = await rows(ids);
    const [row] = await final(ids);
    expect(row).toMatchObject({ state: 'sent', attempts: 1, last_error: null, blob_id: null });
    expect(mx.messages).toHaveLength(1);
    const got = mx.messages[0]!;
    expect(got).toMatchObject({ from: 'alice@darwin.test', to: ['carol@remote.example'], secure: true });
    expect(got.mailParams).toMatchObject({ BODY: '8BITMIME' });
    expect(got.raw.toString()).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=darwin\.test;/);
    expect(got.raw.toString()).toContain('\r\n\r\nHello number');

    const resolver = new DnsClient({ servers: [dns.server], timeoutMs: 1_000 });
    const verified = await dkimVerify(got.raw, { resolver: (name: string, type: string) => resolver.resolve(name, type) as Promise<never> });
    expect(verified.results).toHaveLength(1);
    expect(verified.results[0]!.status.result).toBe('pass');
    expect(verified.results[0]!.signingDomain).toBe('darwin.test');
    // The last reference was the queue row: its blob is gone with it.
    expect(await db.dataSource.query('SELECT id FROM blobs WHERE id = $1', [blobId])).toEqual([]);
  });

  it('streams a large message (several blob chunks, dot-stuffed lines) byte for byte, still DKIM-valid', async () => {
    const line = '.a line that starts with a dot, and some more text to make it long enough ......\r\n';
    const body = line.repeat(Math.ceil((3 * 1024 * 1024) / line.length));
    const ids = await submit({ to: ['big@remote.example'], body });
    const [{ blob_id: blobId }] = await rows(ids);
    const original: Buffer[] = [];
    for await (const c of store.openBlob(blobId!)) original.push(c as Buffer);
    const [row] = await final(ids, 30_000);
    expect(row!.state).toBe('sent');
    const raw = mx.messages[0]!.raw;
    const signatureEnd = raw.indexOf('\r\nFrom: ') + 2;
    expect(raw.subarray(signatureEnd).equals(Buffer.concat(original))).toBe(true);
    const resolver = new DnsClient({ servers: [dns.server], timeoutMs: 1_000 });
    const verified = await dkimVerify(raw, { resolver: (name: string, type: string) => resolver.resolve(name, type) as Promise<never> });
    expect(verified.results[0]!.status.result).toBe('pass');
  });

  it('sends mail without a DKIM key unsigned, and in plaintext to a server without STARTTLS', async () => {
    const nokey = await seedMailbox(db.dataSource, { address: 'nora@nokey.test', password: 'nora-password' });
    const plain = await FakeMx.start({ starttls: false });
    const w = new OutboundWorkers({
      config: { ...config, queueWorkers: 1 },
      store,
      queue,
      logger,
      router: new Router({ resolver: new DnsClient({ servers: [dns.server], timeoutMs: 500 }), transportMap: { 'plain.example': { host: '127.0.0.1', port: plain.port } } }),
    });
    await workers.stop(1_000);
    await w.start();
    try {
      const ids = await submit({ from: nokey, to: ['dan@plain.example'] });
      expect((await final(ids))[0]!.state).toBe('sent');
      expect(plain.messages[0]!.secure).toBe(false);
      expect(plain.messages[0]!.from).toBe('nora@nokey.test');
      expect(plain.messages[0]!.raw.toString()).not.toContain('DKIM-Signature');
    } finally {
      await w.stop(1_000);
      await plain.close();
    }
  });

  it('falls back to plaintext when a STARTTLS handshake fails (opportunistic TLS)', async () => {
    const broken = await BrokenTlsMx.start();
    const w = new OutboundWorkers({
      config: { ...config, queueWorkers: 1 },
      store,
      queue,
      logger,
      router: new Router({ resolver: new DnsClient({ servers: [dns.server], timeoutMs: 500 }), transportMap: { 'tls-broken.example': { host: '127.0.0.1', port: broken.port } } }),
    });
    await workers.stop(1_000);
    await w.start();
    try {
      const ids = await submit({ to: ['olga@tls-broken.example'] });
      expect((await final(ids))[0]).toMatchObject({ state: 'sent', attempts: 1 });
      expect(broken.starttlsAttempts).toBe(1);
      expect(broken.messages.map((m) => m.to)).toEqual([['olga@tls-broken.example']]);
    } finally {
      await w.stop(1_000);
      await broken.close();
    }
  });

  it('relays through a smarthost with SMTP AUTH over STARTTLS only; a refused login defers, never in plaintext, the password never logged', async () => {
    const received: { user: unknown; secure: boolean; to: string[] }[] = [];
    const relay = (starttls: boolean) =>
      new SMTPServer({
        authMethods: ['PLAIN', 'LOGIN'],
        disabledCommands: starttls ? [] : ['STARTTLS'],
        // The plaintext relay would take the password in the clear: our side must not send it.
        allowInsecureAuth: !starttls,
        logger: false,
        onAuth(auth, _session, cb) {
          if (auth.username === 'relay-user' && auth.password === 'relay pass 1') cb(null, { user: auth.username });
          else cb(new Error('Invalid username or password'));
        },
        onData(stream, session, cb) {
          stream.resume();
          stream.on('end', () => {
            received.push({ user: session.user, secure: session.secure, to: session.envelope.rcptTo.map((r) => r.address) });
            cb();
          });
        },
      });
    const listen = async (server: SMTPServer) => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return (server.server.address() as AddressInfo).port;
    };
    const tlsRelay = relay(true);
    const plainRelay = relay(false);
    const lines: string[] = [];
    const quiet = createLogger({ app: 'test' }, { level: 'debug', write: (l) => void lines.push(l) });
    const run = async (port: number, pass: string, to: string) => {
      const w = new OutboundWorkers({
        config: { ...config, queueWorkers: 1, transportMap: undefined, smarthost: { host: '127.0.0.1', port }, smarthostUser: 'relay-user', smarthostPassword: pass },
        store,
        queue,
        logger: quiet,
      });
      await w.start();
      try {
        const ids = await submit({ to: [to] });
        return await pollUntil('an attempt', async () => {
          const [r] = await rows(ids);
          return (r!.state === 'sent' || (r!.state === 'deferred' && r!.attempts > 0)) && r!;
        });
      } finally {
        await w.stop(1_000);
      }
    };
    await workers.stop(1_000);
    try {
      const tlsPort = await listen(tlsRelay);
      expect(await run(tlsPort, 'relay pass 1', 'ann@anywhere.example')).toMatchObject({ state: 'sent' });
      expect(received).toEqual([{ user: 'relay-user', secure: true, to: ['ann@anywhere.example'] }]);
      const refused = await run(tlsPort, 'wrong password 2', 'ben@anywhere.example');
      expect(refused).toMatchObject({ state: 'deferred', attempts: 1 });
      expect(refused.last_error).toMatch(/Authentication at 127\.0\.0\.1 failed: 535/);
      // A relay without STARTTLS never gets the credentials: no plaintext fallback.
      const plain = await run(await listen(plainRelay), 'relay pass 1', 'cy@anywhere.example');
      expect(plain).toMatchObject({ state: 'deferred' });
      expect(received).toHaveLength(1);
      expect(lines.join('\n')).not.toMatch(/relay pass 1|wrong password 2/);
    } finally {
      await new Promise<void>((resolve) => tlsRelay.close(() => resolve()));
      await new Promise<void>((resolve) => plainRelay.close(() => resolve()));
    }
  });

  it('with DARWIN_OUTBOUND_TLS_VERIFY, refuses a host whose certificate does not verify (deferred, nothing sent)', async () => {
    const w = new OutboundWorkers({ config: { ...config, queueWorkers: 1, outboundTlsVerify: true }, store, queue, logger, router });
    await workers.stop(1_000);
    await w.start();
    try {
      const ids = await submit({ to: ['pete@remote.example'] });
      const [row] = await pollUntil('deferral', async () => {
        const r = await rows(ids);
        return r[0]!.state === 'deferred' && r;
      });
      expect(row!.last_error).toMatch(/ETLS|certificate/i);
      expect(mx.messages).toHaveLength(0);
    } finally {
      await w.stop(1_000);
    }
  });

  it('honours MTA-STS: enforce sends only to matching MX hosts over verified TLS, else waits; testing changes nothing', async () => {
    // A remote MX whose certificate names mx.sts.example, and one HTTPS policy server per domain.
    const mxCert = await generateSelfSigned('mx.sts.example');
    const stsMx = await FakeMx.start({ tls: { key: mxCert.keyPem, cert: mxCert.certPem } });
    const policies: Record<string, string> = {
      'sts.example': 'version: STSv1\r\nmode: enforce\r\nmx: mx.sts.example\r\nmax_age: 86400\r\n',
      'elsewhere.example': 'version: STSv1\r\nmode: enforce\r\nmx: mail.elsewhere.example\r\nmax_age: 86400\r\n',
      'wrongcert.example': 'version: STSv1\r\nmode: enforce\r\nmx: *.wrongcert.example\r\nmax_age: 86400\r\n',
      'trial.example': 'version: STSv1\r\nmode: testing\r\nmx: mail.trial.example\r\nmax_age: 86400\r\n',
    };
    const servers: HttpsServer[] = [];
    const ports: Record<string, number> = {};
    const trust: string[] = [mxCert.certPem];
    for (const [domain, policy] of Object.entries(policies)) {
      const cert = await generateSelfSigned(`mta-sts.${domain}`);
      trust.push(cert.certPem);
      const server = createHttpsServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => {
        if (req.url !== '/.well-known/mta-sts.txt') return void res.writeHead(404).end();
        res.writeHead(200, { 'content-type': 'text/plain' }).end(policy);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      ports[domain] = (server.address() as AddressInfo).port;
      dns.set(`_mta-sts.${domain}`, { TXT: ['v=STSv1; id=2026112601'] }).set(`mta-sts.${domain}`, { A: ['127.0.0.1'] });
    }
    dns.set('sts.example', { MX: [{ priority: 10, exchange: 'mx.sts.example' }] }).set('mx.sts.example', { A: ['127.0.0.1'] });
    dns.set('elsewhere.example', { MX: [{ priority: 10, exchange: 'mx.sts.example' }] });
    // Matches the policy's wildcard, but the certificate it presents is for mx.sts.example.
    dns.set('wrongcert.example', { MX: [{ priority: 10, exchange: 'mx.wrongcert.example' }] }).set('mx.wrongcert.example', { A: ['127.0.0.1'] });
    dns.set('trial.example', { MX: [{ priority: 10, exchange: 'mx.sts.example' }] });
    const client = DnsClient.fromConfig(config);
    const ca = trust.join('');
    const stsRouter = new Router({
      resolver: client,
      mxPort: stsMx.port,
      mtaSts: new MtaStsResolver({
        txt: (name) => client.txt(name),
        fetch: (domain) => fetchPolicyText(domain, { timeoutMs: 2_000, lookup: lookupVia((name) => client.a(name)), ca, port: ports[domain] }),
      }),
    });
    await workers.stop(1_000);
    const w = new OutboundWorkers({ config: { ...config, queueWorkers: 2 }, store, queue, logger, router: stsRouter, tlsCa: ca });
    await w.start();
    try {
      const ok = await submit({ to: ['ann@sts.example'] });
      const trial = await submit({ to: ['tom@trial.example'] });
      const [sent] = await final(ok);
      expect(sent!.state).toBe('sent');
      expect((await final(trial))[0]!.state).toBe('sent');
      expect(stsMx.messages.map((m) => [m.to, m.secure])).toEqual(expect.arrayContaining([[['ann@sts.example'], true]]));
      stsMx.reset();
      const unlisted = await submit({ to: ['eve@elsewhere.example'] });
      const wrongCert = await submit({ to: ['joe@wrongcert.example'] });
      const deferred = await pollUntil('deferrals', async () => {
        const r = await rows([...unlisted, ...wrongCert]);
        return r.every((x) => x.state === 'deferred') && r;
      });
      expect(deferred[0]!.last_error).toMatch(/No MX host of elsewhere\.example matches its MTA-STS policy/);
      expect(deferred[1]!.last_error).toMatch(/MTA-STS policy: verified TLS required/);
      expect(stsMx.messages).toHaveLength(0);
    } finally {
      await w.stop(1_000);
      await stsMx.close();
      for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('walks the MX list in preference order: an unreachable first host, then the next', async () => {
    const ids = await submit({ to: ['erin@viamx.example'] });
    const [row] = await final(ids);
    expect(row!.state).toBe('sent');
    expect(mx.messages.map((m) => m.to)).toEqual([['erin@viamx.example']]);
  });

  it('sends the recipients of one message at one domain in one transaction, each with its own outcome; one DSN for the failures', async () => {
    mx.behaviour = { rcpt: (a) => (a.startsWith('nobody') ? '550 5.1.1 <' + a + '>: Recipient address rejected: User unknown' : undefined) };
    const ids = await submit({ to: ['frank@remote.example', 'nobody@remote.example', 'nobody2@remote.example'] });
    const done = await final(ids);
    expect(done.map((r) => r.state)).toEqual(['sent', 'bounced', 'bounced']);
    expect(done[1]!.last_error).toContain('550 5.1.1 <nobody@remote.example>');
    expect(mx.connections).toBe(1);
    expect(mx.messages).toHaveLength(1);
    expect(mx.messages[0]!.to).toEqual(['frank@remote.example']);

    const bounces = await pollUntil('the bounce', async () => {
      const b = await inbox(alice);
      return b.length > 0 && b;
    });
    expect(bounces).toHaveLength(1);
    const text = bounces[0]!.toString();
    const parsed = await simpleParser(bounces[0]!);
    expect(parsed.subject).toBe('Undelivered Mail Returned to Sender');
    expect(parsed.from?.value[0]?.address).toBe('MAILER-DAEMON@mail.darwin.test');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(text).toContain('Content-Type: multipart/report; report-type=delivery-status;');
    expect(text).toContain('Final-Recipient: rfc822; nobody@remote.example');
    expect(text).toContain('Final-Recipient: rfc822; nobody2@remote.example');
    expect(text).not.toContain('Final-Recipient: rfc822; frank@remote.example');
    expect(text).toContain('Status: 5.1.1');
    expect(text).toContain('Remote-MTA: dns; 127.0.0.1');
    expect(text).toMatch(/Diagnostic-Code: smtp; 550 5\.1\.1 <nobody@remote\.example>:/);
    // RET not given: the whole original comes back.
    expect(text).toContain('Content-Type: message/rfc822');
    expect(text).toContain('Hello number');
    // The bounce itself was stored from the null sender and queued nothing.
    const [{ n: queuedBounces }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM outbound_queue WHERE mail_from = ''`);
    expect(queuedBounces).toBe(0);
  });

  it('defers a temporary failure on the retry schedule, then delivers (451, then 250)', async () => {
    mx.behaviour = { rcpt: (_a, count) => (count === 1 ? '451 4.3.0 Greylisted, try again later' : undefined) };
    const ids = await submit({ to: ['gina@remote.example'] });
    const deferred = await pollUntil('the deferral', async () => {
      const [r] = await rows(ids);
      return r!.state === 'deferred' && r;
    });
    expect(deferred.attempts).toBe(1);
    expect(deferred.last_error).toBe('127.0.0.1 said: 451 4.3.0 Greylisted, try again later');
    const wait = deferred.next_attempt_at.getTime() - Date.now();
    expect(wait).toBeGreaterThan(200);
    expect(wait).toBeLessThanOrEqual(1_000);
    const [sent] = await final(ids);
    expect(sent).toMatchObject({ state: 'sent', attempts: 2, last_error: null });
    expect(mx.messages).toHaveLength(1);
    expect(mx.rcpts).toEqual(['gina@remote.example', 'gina@remote.example']);
  });

  it('treats a 4xx at end of data as temporary and a 5xx as permanent', async () => {
    mx.behaviour = { data: (m) => (m.to.includes('hank@remote.example') ? '452 4.3.1 Insufficient system storage' : '554 5.6.0 Message rejected: content') };
    const ids = await submit({ to: ['hank@remote.example'] });
    const ids2 = await submit({ to: ['ivy@other.example'] });
    const [deferred] = await pollUntil('deferral', async () => {
      const r = await rows(ids);
      return r[0]!.state === 'deferred' && r;
    });
    expect(deferred!.last_error).toContain('452 4.3.1');
    const [bounced] = await final(ids2);
    expect(bounced).toMatchObject({ state: 'bounced' });
    expect(bounced!.last_error).toContain('554 5.6.0 Message rejected');
  });

  it('bounces at once for a null MX (5.1.10), without connecting anywhere', async () => {
    const ids = await submit({ from: bob, to: ['x@nullmx.example'] });
    const [row] = await final(ids);
    expect(row).toMatchObject({ state: 'bounced', attempts: 1 });
    expect(row!.last_error).toContain('null MX');
    expect(mx.connections).toBe(0);
    const dsn = await pollUntil('bounce', async () => (await inbox(bob)).find((b) => b.toString().includes('x@nullmx.example')));
    expect(dsn.toString()).toContain('Status: 5.1.10');
    expect(dsn.toString().replace(/\r\n /g, ' ')).toContain('Diagnostic-Code: X-Darwin; Domain nullmx.example does not accept mail (null MX, RFC 7505)');
  });

  it('bounces a domain that does not exist (NXDOMAIN, 5.1.2) and defers on DNS trouble (SERVFAIL)', async () => {
    const nx = await submit({ from: bob, to: ['y@no-such-domain.example'] });
    const sf = await submit({ from: bob, to: ['z@broken.example'] });
    const [row] = await final(nx);
    expect(row!.state).toBe('bounced');
    expect(row!.last_error).toContain('NXDOMAIN');
    const dsn = await pollUntil('bounce', async () => (await inbox(bob)).find((b) => b.toString().includes('y@no-such-domain.example')));
    expect(dsn.toString()).toContain('Status: 5.1.2');
    const [temp] = await pollUntil('deferral', async () => {
      const r = await rows(sf);
      return r[0]!.state === 'deferred' && r;
    });
    expect(temp!.last_error).toContain('ESERVFAIL');
  });

  it('gives up when the queue lifetime ends: one last attempt at the expiry, then a bounce (4.x status, gave up)', async () => {
    mx.behaviour = { rcpt: () => '421 4.4.2 Too busy, come back later' };
    const expiresAt = new Date(Date.now() + 1_500);
    const ids = await submit({ to: ['jack@remote.example'], expiresAt });
    const [row] = await final(ids, 20_000);
    expect(row!.state).toBe('bounced');
    expect(row!.attempts).toBeGreaterThanOrEqual(2);
    expect(row!.last_error).toContain('gave up');
    expect(mx.messages).toHaveLength(0);
    const dsn = await pollUntil('bounce', async () => (await inbox(alice)).find((b) => b.toString().includes('jack@remote.example')));
    const text = dsn.toString();
    expect(text).toContain('Action: failed');
    expect(text).toContain('Status: 4.4.2');
    expect(text).toContain('gave up after');
  });

  it('applies DARWIN_QUEUE_LIFETIME to rows queued with the default expiry', async () => {
    await workers.stop(1_000);
    const w = new OutboundWorkers({ config: { ...config, queueWorkers: 1, queueLifetime: 1_200 }, store, queue, logger, router });
    await w.start();
    mx.behaviour = { rcpt: () => '450 4.2.1 Mailbox busy' };
    try {
      const ids = await submit({ to: ['ruth@remote.example'] });
      const [row] = await final(ids, 20_000);
      expect(row!.state).toBe('bounced');
      expect(row!.last_error).toContain('gave up');
    } finally {
      await w.stop(1_000);
    }
  });

  it('never bounces mail from the null sender', async () => {
    mx.behaviour = { rcpt: () => '550 5.1.1 No such user' };
    const before = (await inbox(alice)).length + (await inbox(bob)).length;
    const ids = await submit({ mailFrom: '', to: ['kate@remote.example'] });
    const [row] = await final(ids);
    expect(row).toMatchObject({ state: 'bounced', mail_from: '' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await inbox(alice)).length + (await inbox(bob)).length).toBe(before);
    const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM outbound_queue WHERE id > $1`, [ids[0]]);
    expect(n).toBe(0);
  });

  it('honours NOTIFY, RET, ENVID and ORCPT: NEVER stays silent, SUCCESS reports relayed, headers only for RET=HDRS', async () => {
    mx.behaviour = { rcpt: (a) => (a.startsWith('gone') ? '550 5.1.1 No such user' : undefined) };
    const before = (await inbox(bob)).length;
    const ids = await submit({
      from: bob,
      to: ['gone-silent@remote.example', 'gone-loud@remote.example', 'here@remote.example'],
      dsn: { ret: 'HDRS', envid: 'ENV-123' },
      rcptDsn: {
        'gone-silent@remote.example': { notify: ['NEVER'] },
        'gone-loud@remote.example': { notify: ['FAILURE'], orcpt: 'rfc822;Gone-Loud@Remote.Example' },
        'here@remote.example': { notify: ['SUCCESS', 'FAILURE'] },
      },
    });
    await final(ids);
    const notices = await pollUntil('one notice', async () => {
      const all = await inbox(bob);
      return all.length > before && all.slice(before);
    });
    await new Promise((r) => setTimeout(r, 300));
    expect((await inbox(bob)).length - before).toBe(1);
    const text = notices[0]!.toString();
    expect(text).toContain('Original-Envelope-Id: ENV-123');
    expect(text).toContain('Final-Recipient: rfc822; gone-loud@remote.example');
    expect(text).toContain('Original-Recipient: rfc822; Gone-Loud@Remote.Example');
    expect(text).not.toContain('gone-silent@remote.example\r\nAction');
    expect(text).toMatch(/Final-Recipient: rfc822; here@remote\.example\r\nAction: relayed\r\nStatus: 2\.0\.0/);
    expect(text).toContain('Content-Type: text/rfc822-headers');
    expect(text).not.toContain('Hello number');
  });

  it('sends a bounce for a sender that is not ours to that sender, from the null sender, through the queue', async () => {
    mx.behaviour = { rcpt: (a) => (a.startsWith('missing') ? '550 5.1.1 No such user' : undefined) };
    const ids = await submit({ mailFrom: 'someone@other.example', to: ['missing@remote.example'] });
    await final(ids);
    const bounce = await pollUntil('the bounce at the remote sender', async () => mx.messages.find((m) => m.to.includes('someone@other.example')));
    expect(bounce.from).toBe('');
    expect(bounce.raw.toString()).toContain('Final-Recipient: rfc822; missing@remote.example');
  });

  it('holds the rows of an outbound-blocked mailbox until the block is lifted', async () => {
    await db.dataSource.query('UPDATE mailboxes SET outbound_blocked_at = now() WHERE id = $1', [bob.mailboxId]);
    try {
      const held = await submit({ from: bob, to: ['leo@remote.example'] });
      const free = await submit({ from: alice, to: ['mia@remote.example'] });
      await final(free);
      await new Promise((r) => setTimeout(r, 500));
      expect((await rows(held))[0]).toMatchObject({ state: 'queued', attempts: 0 });
      expect(mx.rcpts).not.toContain('leo@remote.example');
      await db.dataSource.query('UPDATE mailboxes SET outbound_blocked_at = NULL WHERE id = $1', [bob.mailboxId]);
      expect((await final(held))[0]!.state).toBe('sent');
      expect(mx.messages.filter((m) => m.to.includes('leo@remote.example'))).toHaveLength(1);
    } finally {
      await db.dataSource.query('UPDATE mailboxes SET outbound_blocked_at = NULL WHERE id = $1', [bob.mailboxId]);
    }
  });

  it('wakes idle workers as soon as mail is queued (LISTEN on darwin_events), long before the next poll', async () => {
    await workers.stop(1_000);
    const w = new OutboundWorkers({ config: { ...config, queueWorkers: 1, queuePollInterval: 60_000 }, store, queue, logger, router, databaseUrl: db.url });
    await w.start();
    try {
      await new Promise((r) => setTimeout(r, 200));
      const started = Date.now();
      const ids = await submit({ to: ['quinn@remote.example'] });
      expect((await final(ids, 5_000))[0]!.state).toBe('sent');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await w.stop(1_000);
    }
  });

  it('two worker sets on one database never send a message twice', async () => {
    const second = startWorkers({ id: 'second-process', lanes: 4 });
    await second.start();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) ids.push(...(await submit({ to: [`r${i}@${i % 2 ? 'remote' : 'other'}.example`] })));
      await final(ids, 30_000);
      expect(mx.messages).toHaveLength(30);
      const recipients = mx.messages.flatMap((m) => m.to);
      expect(new Set(recipients).size).toBe(30);
      const by = await db.dataSource.query(`SELECT count(*)::int AS n FROM outbound_queue WHERE id = ANY ($1::bigint[]) AND state = 'sent' AND attempts = 1`, [ids]);
      expect(by[0].n).toBe(30);
    } finally {
      await second.stop(1_000);
    }
  });

  it('keeps to the per-destination concurrency limit across worker sets', async () => {
    await workers.stop(1_000);
    const a = startWorkers({ id: 'limit-a', lanes: 4, concurrency: 2 });
    const b = startWorkers({ id: 'limit-b', lanes: 4, concurrency: 2 });
    await a.start();
    await b.start();
    mx.behaviour = { holdData: () => new Promise((r) => setTimeout(r, 150)) };
    try {
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) ids.push(...(await submit({ to: [`c${i}@remote.example`] })));
      await final(ids, 30_000);
      expect(mx.messages).toHaveLength(10);
      expect(mx.maxActive).toBeLessThanOrEqual(2);
      expect(mx.maxActive).toBe(2);
    } finally {
      await a.stop(1_000);
      await b.stop(1_000);
    }
  });
});
