import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, seedMailbox, type SeededMailbox, type TestDatabase } from '@darwin/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDns } from '../../../../tools/test-support/fake-dns.js';
import { LineClient } from '../../../../tools/test-support/line-client.js';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

interface Engine {
  readonly child: ChildProcess;
  readonly smtp: number;
  readonly exited: Promise<unknown>;
}

/**
 * Acceptance: a crash of the engine (SIGKILL) during DATA leaves nothing stored. Runs the built
 * engine (`npx tsc -b apps/mail-engine`, which `npm test` does first) as its own process.
 */
describe('engine killed during DATA', () => {
  let db: TestDatabase;
  let dns: FakeDns;
  let dataDir: string;
  let mb: SeededMailbox;

  beforeAll(async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: build the engine first (npx tsc -b apps/mail-engine)`).toBe(true);
    db = await createTestDatabase();
    dns = await FakeDns.start();
    dataDir = await mkdtemp(join(tmpdir(), 'darwin-crash-'));
    mb = await seedMailbox(db.dataSource, { address: 'victim@crash.test', password: 'victim-password' });
  });
  afterAll(async () => {
    await dns?.close();
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function startEngine(): Promise<Engine> {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      DATABASE_URL: db.url,
      DARWIN_RUN_MIGRATIONS: 'false',
      DARWIN_DATA_DIR: dataDir,
      DARWIN_HOSTNAME: 'mx.crash.test',
      DARWIN_LOG_FORMAT: 'json',
      DARWIN_DNS_SERVERS: dns.server,
      ...Object.fromEntries(['SMTP', 'SUBMISSION', 'SMTPS', 'IMAP', 'IMAPS', 'POP3', 'POP3S'].map((p) => [`DARWIN_${p}_PORT`, '0'])),
    };
    const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((r) => child.once('exit', r));
    let out = '';
    const smtp = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`engine did not start: ${out}`)), 30_000);
      const onData = (d: Buffer) => {
        out += d.toString();
        const m = /"smtp":"127\.0\.0\.1:(\d+)"/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`engine exited with ${code}: ${out}`)));
    });
    return { child, smtp, exited };
  }

  async function counts(): Promise<Record<string, number>> {
    const [r] = await db.dataSource.query(
      `SELECT (SELECT count(*) FROM messages)::int AS messages, (SELECT count(*) FROM blobs)::int AS blobs,
              (SELECT count(*) FROM blob_chunks)::int AS chunks, (SELECT count(*) FROM outbound_queue)::int AS queued,
              (SELECT used_bytes FROM mailboxes WHERE id = $1)::int AS used`,
      [mb.mailboxId],
    );
    return r as Record<string, number>;
  }

  it('leaves nothing stored when killed mid-message, in memory or spooled to disk, and delivers normally after a restart', async () => {
    for (const size of [20_000, 3 * 1024 * 1024]) {
      const engine = await startEngine();
      const c = await LineClient.open(engine.smtp);
      await c.reply();
      await c.command('EHLO client.example');
      await c.command('MAIL FROM:<sender@remote.example>');
      expect(await c.command('RCPT TO:<victim@crash.test>')).toMatch(/^250 /);
      expect(await c.command('DATA')).toMatch(/^354 /);
      c.write('Subject: interrupted\r\n\r\n');
      const line = 'x'.repeat(998) + '\r\n';
      for (let sent = 0; sent < size; sent += line.length) c.write(line);
      await new Promise((r) => setTimeout(r, 500));
      engine.child.kill('SIGKILL');
      await engine.exited;
      // A killed process cannot remove its spool file (messages over 1 MiB go to disk): tidy up.
      for (const name of await readdir(tmpdir())) if (name.startsWith(`darwin-spool-${engine.child.pid}-`)) await rm(join(tmpdir(), name), { force: true });
      await c.waitClosed().catch(() => {});
      c.close();
      expect(await counts()).toEqual({ messages: 0, blobs: 0, chunks: 0, queued: 0, used: 0 });
    }

    const engine = await startEngine();
    try {
      const c = await LineClient.open(engine.smtp);
      await c.reply();
      await c.command('EHLO client.example');
      await c.command('MAIL FROM:<sender@remote.example>');
      await c.command('RCPT TO:<victim@crash.test>');
      await c.command('DATA');
      expect(await c.command('Subject: after restart\r\n\r\nfine\r\n.')).toMatch(/^250 /);
      c.close();
      const after = await counts();
      expect(after.messages).toBe(1);
    } finally {
      engine.child.kill('SIGTERM');
      await engine.exited;
    }
  });
});
