/**
 * The SMTP MX server in a Node process of its own, on the database in DATABASE_URL: mail it takes
 * reaches IMAP sessions in the test's process only through Postgres, as between engine processes.
 * Started by imap-push.int.spec.ts as
 * `node --import ../../outbound/testing/ts-register.mjs mx-server-process.ts`; prints `{"port":n}`
 * once listening and exits when stdin closes. DNS goes to a fake server with an empty zone, so
 * the sender checks finish at once (none, NXDOMAIN) instead of waiting on the network.
 */
import type { AddressInfo } from 'node:net';
import { createLogger } from '@darwin/logger';
import { PgMailStore } from '@darwin/mail-store';
import { FakeDns } from '../../../../../tools/test-support/fake-dns.js';
import { createMxServer } from '../../smtp/server.js';
import { createTestEngineContext } from '../../testing/test-engine-context.js';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');

const logger = createLogger({ app: 'mx-server-process' }, { level: 'error' });
const dns = await FakeDns.start();
const store = new PgMailStore({ url, logger, poolSize: 2 });
const ctx = await createTestEngineContext({ store, logger, env: { DARWIN_HOSTNAME: 'mx.darwin.test', DARWIN_DNS_SERVERS: dns.server, DARWIN_DNS_TIMEOUT: '500ms' } });
const mx = createMxServer(ctx);
await new Promise<void>((resolve) => mx.listen(0, '127.0.0.1', resolve));

process.stdin.resume();
process.stdin.on('end', () => {
  mx.close(() => void Promise.all([store.close(), dns.close()]).then(() => process.exit(0)));
});
process.stdout.write(`${JSON.stringify({ port: (mx.server.address() as AddressInfo).port })}\n`);
