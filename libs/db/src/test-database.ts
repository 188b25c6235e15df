import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from './data-source.js';
import { runMigrations } from './migrate.js';

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  /** A migrated DataSource on the new database (already initialised). */
  readonly dataSource: DataSource;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * The server tests run against: TEST_DATABASE_ADMIN_URL (set by the test runner, which starts an
 * embedded server when DATABASE_URL is unset), else DATABASE_URL.
 */
export function testServerUrl(): string {
  const url = process.env.TEST_DATABASE_ADMIN_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error('No PostgreSQL for tests: run them through `npm test`, or set DATABASE_URL');
  return url;
}

/** Creates a fresh, uniquely named database, migrated to the latest schema. Never mocked. */
export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const server = testServerUrl();
  const name = `darwin_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(server, name);
  const dataSource = createDataSource({ url, poolSize: 5, applicationName: 'darwin-test' });
  await dataSource.initialize();
  if (opts.migrate !== false) await runMigrations(dataSource);
  return {
    url,
    name,
    dataSource,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
