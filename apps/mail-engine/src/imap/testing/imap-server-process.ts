/**
 * An IMAP server in its own Node process, for memory tests: what the test's clients hold then does
 * not count. Started by imap-memory.int.spec.ts as
 * `node --expose-gc --import ../../outbound/testing/ts-register.mjs imap-server-process.ts` with
 * DATABASE_URL; prints `{"port":n}` once listening. Reads commands on stdin, one per line, each
 * answered with one JSON line on stdout:
 * - `mark`: collects garbage, then measures from here;
 * - `peak`: the highest heapUsed + arrayBuffers (Buffers live outside the V8 heap) seen since the
 *   mark, minus its value at the mark, in bytes.
 * Sampled every 10 ms as the process runs, garbage included. With IMAP_MEMORY=live each sample
 * (every 50 ms) collects garbage first, so only what is still referenced counts: streaming a
 * 40 MB literal leaves tens of MB of spent chunks for V8 to collect when it gets round to it,
 * which would hide whether the literal was held.
 * With IMAP_BUFFER_BODIES=1 the store is wrapped so that every FETCH body and every APPEND literal
 * is read whole into memory first: a server that buffers per session, which the tests must catch.
 */
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createLogger } from '@darwin/logger';
import { PgMailStore, spoolBuffer, type MailStore } from '@darwin/mail-store';
import { createTestEngineContext } from '../../testing/test-engine-context.js';
import { createImapServer } from '../server.js';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const logger = createLogger({ app: 'imap-server-process' }, { level: 'error' });
const pgStore = new PgMailStore({ url, logger });
await pgStore.watching();
const store: MailStore = process.env.IMAP_BUFFER_BODIES === '1' ? buffering(pgStore) : pgStore;
const server = createImapServer(await createTestEngineContext({ store, logger }));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const live = process.env.IMAP_MEMORY === 'live';
let base = used();
let peak = base;
setInterval(
  () => {
    if (live) gc();
    peak = Math.max(peak, used());
  },
  live ? 50 : 10,
).unref();

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'mark') {
    gc();
    base = peak = used();
    process.stdout.write(`${JSON.stringify({ base })}\n`);
  } else if (line === 'peak') {
    peak = Math.max(peak, used());
    process.stdout.write(`${JSON.stringify({ growth: peak - base })}\n`);
  }
});
process.stdin.on('end', () => void server.shutdown().then(() => pgStore.close()));
process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);

/** The store, but bodies are read whole before they are sent and literals before they are stored. */
function buffering(inner: PgMailStore): MailStore {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'openBlob') {
        return (...args: Parameters<MailStore['openBlob']>) =>
          Readable.from(
            (async function* () {
              const parts: Buffer[] = [];
              for await (const c of target.openBlob(...args)) parts.push(c as Buffer);
              const whole = Buffer.concat(parts);
              for (let i = 0; i < whole.length; i += 256 * 1024) yield whole.subarray(i, i + 256 * 1024);
            })(),
          );
      }
      if (prop === 'deliver') {
        return async (spooled: Parameters<MailStore['deliver']>[0], ...rest: [Parameters<MailStore['deliver']>[1], Parameters<MailStore['deliver']>[2]?]) => {
          const parts: Buffer[] = [];
          for await (const c of spooled.chunks(256 * 1024)) parts.push(Buffer.from(c));
          const whole = await spoolBuffer(Buffer.concat(parts));
          try {
            return await target.deliver(whole, ...rest);
          } finally {
            await whole.dispose();
          }
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
