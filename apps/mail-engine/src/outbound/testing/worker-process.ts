/**
 * A separate engine-like process running only the outbound workers, for the crash test: started
 * with `node --import ./ts-register.mjs worker-process.ts`, configured through the environment
 * like the engine, killed with SIGKILL by the test. Prints "ready" once the workers run.
 */
import { loadConfig } from '@darwin/config';
import { createLogger } from '@darwin/logger';
import { PgMailStore, PgOutboundQueue } from '@darwin/mail-store';
import { OutboundWorkers } from '../worker.js';

const config = loadConfig();
if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
const logger = createLogger({ app: 'outbound-worker-process' }, { level: 'error' });
const store = new PgMailStore({ url: config.databaseUrl, poolSize: 4 });
const workers = new OutboundWorkers({ config, store, queue: new PgOutboundQueue(store.pool), logger, id: process.env.WORKER_ID, databaseUrl: config.databaseUrl });
await workers.start();
process.stdout.write('ready\n');
