import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../libs/db/src/embedded.js';
import { freePort } from '../test-support/free-port.js';

/**
 * One PostgreSQL for the whole run: DATABASE_URL when set (tests make their own fresh databases on
 * it), else an embedded server in a temporary folder, removed at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.DATABASE_URL) {
    project.provide('databaseAdminUrl', process.env.DATABASE_URL);
    process.env.TEST_DATABASE_ADMIN_URL = process.env.DATABASE_URL;
    return async () => {};
  }
  const dir = await mkdtemp(join(tmpdir(), 'darwin-test-pg-'));
  // mkdtemp makes the folder private to us; the server may run as the postgres user (see embedded.ts).
  await chmod(dir, 0o755);
  let server: EmbeddedServer | undefined;
  try {
    server = await startEmbeddedPostgres({ dir: join(dir, 'pg'), port: await freePort() });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  process.env.TEST_DATABASE_ADMIN_URL = server.adminUrl;
  project.provide('databaseAdminUrl', server.adminUrl);
  return async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseAdminUrl: string;
  }
}
