import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SeededMailbox } from '@darwin/db';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startPop3Fixture, textMessage, type Listening, type Pop3Fixture } from './test-support/pop3-fixture.js';
import { Pop3TestClient } from './test-support/pop3-test-client.js';

const run = promisify(execFile);

/** The mailbox every client downloads: dot lines, 8-bit UTF-8, an empty body, a larger message. */
const MESSAGES: readonly Buffer[] = [
  Buffer.from(textMessage('dots', '.leading dot\r\n..two dots\r\n.\r\nnot. a dot\r\n...\r\n')),
  Buffer.from('From: Jürgen <j@exämple.org>\r\nTo: fm@pop.test\r\nSubject: Grüße, naïve café ✓\r\nMessage-ID: <utf8@example.org>\r\n\r\nÄÖÜ äöü ß — 日本語 🎉\r\n.ünïcode after a dot\r\n'),
  Buffer.from(textMessage('empty-body', '')),
  Buffer.from(textMessage('bigger', Array.from({ length: 2_000 }, (_, i) => `line ${i} ${'x'.repeat(60)}\r\n`).join(''))),
];

describe('Real clients: fetchmail (Debian package) and Python poplib', () => {
  let fx: Pop3Fixture;
  /** Plain port with STLS, and implicit TLS, DARWIN_PLAINTEXT_AUTH=never: passwords only inside TLS. */
  let tlsOnly: Listening;
  let work: string;

  beforeAll(async () => {
    fx = await startPop3Fixture();
    tlsOnly = await fx.listen({ DARWIN_PLAINTEXT_AUTH: 'never' }, { implicitTls: true });
    work = await mkdtemp(join(tmpdir(), 'pop3-clients-'));
    await writeFile(join(work, 'ca.pem'), fx.ca);
  });
  afterEach(() => Pop3TestClient.destroyAll());
  afterAll(async () => {
    await fx?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function filledMailbox(address: string): Promise<{ mb: SeededMailbox; folderId: string; ids: string[] }> {
    const mb = await fx.mailbox(address);
    for (const m of MESSAGES) await fx.deliver(mb.mailboxId, m);
    const folderId = (await fx.store.getFolder(mb.mailboxId, 'INBOX'))!.id;
    return { mb, folderId, ids: (await fx.store.listMessages(folderId)).map((m) => m.id) };
  }

  /**
   * Runs fetchmail once, in the foreground, with a generated rc file (mode 0600) and HOME in a
   * temporary folder so it never reads or writes the real user's files. Each message goes to an
   * MDA script that writes it to its own numbered file. Returns the messages in download order.
   */
  async function fetchmail(name: string, address: string, opts: { port: number; security: 'none' | 'stls' | 'implicit'; keep?: boolean }): Promise<{ messages: Buffer[]; log: string }> {
    const dir = await mkdtemp(join(work, `${name}-`));
    const out = join(dir, 'out');
    const mda = join(dir, 'mda.sh');
    await writeFile(mda, `#!/bin/sh\nmkdir -p "${out}"\nn=$(ls "${out}" | wc -l)\ncat > "${out}/$(printf %04d $((n + 1)))"\n`);
    await chmod(mda, 0o755);
    const security = {
      // sslproto '' : no opportunistic STLS, a plain session.
      none: `sslproto ''`,
      stls: `sslproto 'tls1.2+' sslcertck sslcertfile "${join(work, 'ca.pem')}"`,
      implicit: `ssl sslproto 'tls1.2+' sslcertck sslcertfile "${join(work, 'ca.pem')}"`,
    }[opts.security];
    const rc = join(dir, 'fetchmailrc');
    await writeFile(
      rc,
      [
        `set no syslog`,
        `set idfile "${join(dir, 'fetchids')}"`,
        `set invisible`,
        // "localhost", the name in our certificate (fetchmail checks it; it ignores IP addresses in it).
        `poll localhost proto POP3 port ${opts.port} timeout 30 auth password`,
        `  user "${address}" there with password "${PASSWORD}" is "nobody" here`,
        `  options fetchall ${opts.keep ? 'keep' : 'nokeep'} no rewrite no stripcr ${security}`,
        `  mda "${mda}"`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    const env = { ...process.env, HOME: dir, FETCHMAILHOME: dir, LC_ALL: 'C' };
    let log: string;
    try {
      const r = await run('fetchmail', ['--nodetach', '-f', rc, '--pidfile', join(dir, 'fetchmail.pid'), '-v'], { env, timeout: 60_000, maxBuffer: 10_000_000 });
      log = r.stdout + r.stderr;
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      throw new Error(`fetchmail exited with ${e.code}:\n${e.stdout}\n${e.stderr}`);
    }
    const files = (await readdir(out).catch(() => [])).sort();
    return { messages: await Promise.all(files.map((f) => readFile(join(out, f)))), log };
  }

  it('fetchmail downloads every message byte for byte over plain POP3 (USER/PASS) and --nokeep deletes them', async () => {
    const { folderId } = await filledMailbox('fm-plain@pop.test');
    const { messages, log } = await fetchmail('plain', 'fm-plain@pop.test', { port: fx.port, security: 'none' });
    expect(log).toContain('> USER fm-plain@pop.test');
    expect(log).not.toContain('STLS');
    expect(messages.map((m) => m.toString('base64'))).toEqual(MESSAGES.map((m) => m.toString('base64')));
    expect(await fx.store.listMessages(folderId)).toEqual([]);
  });

  it('fetchmail upgrades with STLS on its own, verifies our certificate, and downloads over TLS', async () => {
    const { folderId } = await filledMailbox('fm-stls@pop.test');
    const { messages, log } = await fetchmail('stls', 'fm-stls@pop.test', { port: tlsOnly.port, security: 'stls' });
    expect(log).toContain('> STLS');
    expect(messages.map((m) => m.toString('base64'))).toEqual(MESSAGES.map((m) => m.toString('base64')));
    expect(await fx.store.listMessages(folderId)).toEqual([]);
  });

  it('fetchmail --ssl (implicit TLS, POP3S) downloads and, with keep, leaves the messages and marks them seen', async () => {
    const { folderId } = await filledMailbox('fm-ssl@pop.test');
    const { messages } = await fetchmail('ssl', 'fm-ssl@pop.test', { port: tlsOnly.tlsPort!, security: 'implicit', keep: true });
    expect(messages.map((m) => m.toString('base64'))).toEqual(MESSAGES.map((m) => m.toString('base64')));
    const left = await fx.store.listMessages(folderId);
    expect(left).toHaveLength(MESSAGES.length);
    expect(left.every((m) => m.flags.includes('\\Seen'))).toBe(true);
  });

  it('curl logs in with SASL PLAIN and LOGIN (with and without initial response) and retrieves byte for byte', async () => {
    await filledMailbox('curl-sasl@pop.test');
    for (const [mech, ir] of [['PLAIN', true], ['PLAIN', false], ['LOGIN', true], ['LOGIN', false]] as const) {
      const r = await run(
        'curl',
        ['-s', '-S', '-v', '--max-time', '20', `pop3://127.0.0.1:${fx.port}/2`, '-u', `curl-sasl@pop.test:${PASSWORD}`, '--login-options', `AUTH=${mech}`, ...(ir ? ['--sasl-ir'] : [])],
        { encoding: 'buffer' },
      );
      expect(r.stdout.equals(MESSAGES[1]!), `${mech} ${ir ? 'with' : 'without'} initial response`).toBe(true);
      const trace = r.stderr.toString();
      expect(trace).toMatch(new RegExp(`> AUTH ${mech}${ir ? ' \\S+' : '\\r?\\n'}`));
      expect(trace).not.toMatch(/> USER /);
    }
  });

  it('Python poplib: STLS on the plain port, then list, retrieve and delete', async () => {
    const { folderId, ids } = await filledMailbox('py-stls@pop.test');
    const script = `
import poplib, ssl, json, sys, base64
# Certificate and host name checked (the test certificate names 127.0.0.1 too).
ctx = ssl.create_default_context(cafile=sys.argv[4])
p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=20)
out = {'capa_before': sorted(p.capa().keys())}
out['stls'] = p.stls(ctx).decode()
out['capa_after'] = sorted(p.capa().keys())
out['cipher'] = p.sock.version()
p.user(sys.argv[2]); out['pass'] = p.pass_(sys.argv[3]).decode()
resp, uidl, _ = p.uidl(); out['uidl'] = [l.decode() for l in uidl]
out['retr'] = []
for n in range(1, len(uidl) + 1):
    resp, lines, octets = p.retr(n)
    out['retr'].append(base64.b64encode(b'\\r\\n'.join(lines) + b'\\r\\n').decode())
    p.dele(n)
out['quit'] = p.quit().decode()
print(json.dumps(out))
`;
    const r = await run('python3', ['-c', script, String(tlsOnly.port), 'py-stls@pop.test', PASSWORD, join(work, 'ca.pem')]);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      capa_before: ['AUTH-RESP-CODE', 'IMPLEMENTATION', 'PIPELINING', 'RESP-CODES', 'STLS', 'TOP', 'UIDL'],
      stls: '+OK Begin TLS negotiation',
      capa_after: ['AUTH-RESP-CODE', 'IMPLEMENTATION', 'PIPELINING', 'RESP-CODES', 'SASL', 'TOP', 'UIDL', 'USER'],
      pass: '+OK Logged in.',
      uidl: ids.map((id, i) => `${i + 1} ${id}`),
      retr: MESSAGES.map((m) => m.toString('base64')),
      quit: '+OK Bye',
    });
    expect(out.cipher).toMatch(/^TLSv1\.[23]$/);
    expect(await fx.store.listMessages(folderId)).toEqual([]);
  });

  it('Python poplib: POP3_SSL (implicit TLS) with certificate and host name checks', async () => {
    const { ids } = await filledMailbox('py-ssl@pop.test');
    const script = `
import poplib, ssl, json, sys, base64
ctx = ssl.create_default_context(cafile=sys.argv[4])
p = poplib.POP3_SSL('127.0.0.1', int(sys.argv[1]), context=ctx, timeout=20)
out = {'welcome': p.getwelcome().decode(), 'capa': sorted(p.capa().keys())}
p.user(sys.argv[2]); out['pass'] = p.pass_(sys.argv[3]).decode()
resp, uidl, _ = p.uidl(); out['uidl'] = [l.decode() for l in uidl]
resp, lines, octets = p.retr(2)
out['retr2'] = base64.b64encode(b'\\r\\n'.join(lines) + b'\\r\\n').decode()
resp, lines, octets = p.top(1, 1)
out['top1'] = [l.decode() for l in lines]
out['quit'] = p.quit().decode()
print(json.dumps(out))
`;
    const r = await run('python3', ['-c', script, String(tlsOnly.tlsPort), 'py-ssl@pop.test', PASSWORD, join(work, 'ca.pem')]);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toEqual({
      welcome: '+OK Darwin Mail POP3 ready.',
      capa: ['AUTH-RESP-CODE', 'IMPLEMENTATION', 'PIPELINING', 'RESP-CODES', 'SASL', 'TOP', 'UIDL', 'USER'],
      pass: '+OK Logged in.',
      uidl: ids.map((id, i) => `${i + 1} ${id}`),
      retr2: MESSAGES[1]!.toString('base64'),
      top1: ['From: sender@example.org', 'To: someone@example.com', 'Subject: dots', 'Message-ID: <dots@example.org>', '', '.leading dot'],
      quit: '+OK Bye',
    });
  });
});
