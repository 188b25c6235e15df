import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@darwin/config';
import { createTestDatabase, seedMailbox, type SeededMailbox, type TestDatabase } from '@darwin/db';
import { createLogger } from '@darwin/logger';
import { PgMailStore, PgOutboundQueue, spoolBuffer } from '@darwin/mail-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../../../tools/test-support/poll-until.js';
import { FakeMx } from './testing/fake-mx.js';
import { OutboundWorkers } from './worker.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Acceptance: "after a restart, queued outbound mail is still delivered". A worker process is
 * killed (SIGKILL) in the middle of a delivery, before the remote answered the end of data; a
 * worker started afterwards takes its rows over once the lease runs out and every message reaches
 * the remote MX exactly once.
 */
describe('outbound queue after a worker crash', () => {
  let db: TestDatabase;
  let store: PgMailStore;
  let mx: FakeMx;
  let alice: SeededMailbox;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PgMailStore({ url: db.url });
    alice = await seedMailbox(db.dataSource, { address: 'alice@crash.test', password: 'alice-password' });
    mx = await FakeMx.start();
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await mx?.close();
    await store?.close();
    await db?.drop();
  });

  it('delivers every queued message exactly once after the worker delivering them is killed mid-delivery', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const msg = await spoolBuffer(Buffer.from(`From: alice@crash.test\r\nTo: r${i}@remote.example\r\nSubject: crash ${i}\r\n\r\nbody ${i}\r\n`));
      const r = await store.accept(msg, { targets: [], outbound: { tenantId: alice.tenantId, mailboxId: alice.mailboxId, mailFrom: alice.address, recipients: [{ address: `r${i}@remote.example` }] } });
      await msg.dispose();
      ids.push(...r.queued);
    }

    // The first end of data is never answered while the first worker lives.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let firstData!: () => void;
    const dataSeen = new Promise<void>((r) => (firstData = r));
    let n = 0;
    mx.behaviour = {
      dataStarted: () => firstData(),
      holdData: () => (++n === 1 ? held : Promise.resolve()),
    };

    const env = {
      ...process.env,
      DATABASE_URL: db.url,
      WORKER_ID: 'doomed',
      DARWIN_HOSTNAME: 'mail.crash.test',
      DARWIN_TRANSPORT_MAP: `remote.example=127.0.0.1:${mx.port}`,
      DARWIN_QUEUE_WORKERS: '1',
      DARWIN_QUEUE_LEASE: '2s',
      DARWIN_QUEUE_POLL_INTERVAL: '100ms',
      DARWIN_LOG_LEVEL: 'error',
    };
    child = spawn(process.execPath, ['--import', here('./testing/ts-register.mjs'), here('./testing/worker-process.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await pollUntil('the worker process to start', async () => output.includes('ready') || (child!.exitCode !== null && Promise.reject(new Error(output))), 30_000);
    await dataSeen;

    const [inFlight] = await db.dataSource.query(`SELECT id, state, leased_by FROM outbound_queue WHERE state = 'sending'`);
    expect(inFlight).toMatchObject({ state: 'sending', leased_by: 'doomed/0' });
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    release();
    await pollUntil('the remote to see the client gone', async () => mx.closed.size === 1, 20_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(mx.messages).toHaveLength(0);

    // "Restart": another worker (here in the test process) on the same database.
    const config = loadConfig({ DARWIN_HOSTNAME: 'mail.crash.test', DARWIN_TRANSPORT_MAP: `remote.example=127.0.0.1:${mx.port}`, DARWIN_QUEUE_WORKERS: '2', DARWIN_QUEUE_LEASE: '2s', DARWIN_QUEUE_POLL_INTERVAL: '100ms' });
    const workers = new OutboundWorkers({ config, store, queue: new PgOutboundQueue(store.pool), logger: createLogger({ app: 'test' }, { level: 'error' }), databaseUrl: db.url, id: 'successor' });
    await workers.start();
    try {
      const done = await pollUntil('every row sent', async () => {
        const r: { id: string; state: string; attempts: number; last_error: string | null }[] = await db.dataSource.query('SELECT id, state, attempts, last_error FROM outbound_queue WHERE id = ANY ($1::bigint[]) ORDER BY id', [ids]);
        return r.every((x) => x.state === 'sent') && r;
      }, 20_000);
      const recovered = done.find((r) => r.id === inFlight.id)!;
      // The interrupted attempt counts; the row came back through lease expiry.
      expect(recovered.attempts).toBe(2);
      const recipients = mx.messages.flatMap((m) => m.to).sort();
      expect(recipients).toEqual(['r0@remote.example', 'r1@remote.example', 'r2@remote.example', 'r3@remote.example', 'r4@remote.example']);
    } finally {
      await workers.stop(1_000);
    }
  });
});
