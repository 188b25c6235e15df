import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@darwin/config';
import { bootstrapPlatform, createTestDatabase, type TestDatabase } from '@darwin/db';
import { createLogger } from '@darwin/logger';
import { createApiApp } from '../../src/app.factory.js';
import { loadApiSettings, type ApiSettings } from '../../src/config/api-settings.js';
import { listen } from '../../src/listen.js';
import { gql, type GqlResponse } from './graphql-client.js';

export const ADMIN_EMAIL = 'admin@darwin.test';
export const ADMIN_PASSWORD = 'admin-password-123';
export const JWT_SECRET = 'test-secret-of-at-least-thirty-two-characters';
/** Quota of the Default plan that bootstrapPlatform creates (max mailbox quota is 10x). */
export const DEFAULT_QUOTA = 100 * 1024 * 1024;
/** The engine host name the test API is configured with (MX target, autoconfig). */
export const TEST_HOSTNAME = 'mx.darwin.test';

export interface TestApi {
  readonly url: string;
  readonly db: TestDatabase;
  readonly app: NestExpressApplication;
  /** Every line the app logged, for checks that secrets never reach the logs. */
  readonly logLines: string[];
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResponse<T>>;
  /** Logs in and returns the token; throws when the login fails. */
  login(email: string, password: string): Promise<string>;
  /** Number of rows in a table (for "nothing half written" checks). */
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

export interface StartApiOptions {
  /** Extra environment for libs/config (e.g. DARWIN_AUTH_MAX_FAILURES_ACCOUNT). */
  readonly env?: Record<string, string>;
  /** Extra environment for the API's own settings (config/api-settings.ts). */
  readonly settingsEnv?: Record<string, string>;
  readonly settings?: Partial<ApiSettings>;
}

/**
 * A fresh migrated database with the platform bootstrapped (Default plan, platform admin), and the
 * real API listening on a free port of 127.0.0.1.
 */
export async function startApi(opts: StartApiOptions = {}): Promise<TestApi> {
  const db = await createTestDatabase();
  const logLines: string[] = [];
  try {
    await bootstrapPlatform(db.dataSource, { adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD, defaultQuotaBytes: DEFAULT_QUOTA });
    const config = loadConfig({
      DARWIN_JWT_SECRET: JWT_SECRET,
      DARWIN_AUTH_FAILURE_DELAY: '0ms',
      DARWIN_LOG_LEVEL: 'debug',
      DARWIN_LOG_FORMAT: 'json',
      DARWIN_HOSTNAME: TEST_HOSTNAME,
      ...opts.env,
    });
    const settings = { ...loadApiSettings(opts.settingsEnv ?? {}), ...opts.settings };
    // API_TEST_LOG=1 also prints error lines (debugging a failing test).
    const echo = process.env.API_TEST_LOG === '1';
    const logger = createLogger({ app: 'api-test' }, { level: 'debug', format: 'json', write: (line) => (logLines.push(line), echo && line.includes('"level":"error"') && process.stderr.write(line)) });
    const app = await createApiApp({ config, settings, dataSource: db.dataSource, logger });
    const url = await listen(app, '127.0.0.1', 0);
    const api: TestApi = {
      url,
      db,
      app,
      logLines,
      gql: (query, variables, token) => gql(url, query, variables, token),
      async login(email, password) {
        const res = await gql(url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: password });
        const token = res.data?.login?.token as string | undefined;
        if (!token) throw new Error(`login failed for ${email}: ${JSON.stringify(res.errors)}`);
        return token;
      },
      async count(table) {
        const [row] = await db.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`);
        return row.n as number;
      },
      async close() {
        await app.close();
        await db.drop();
      },
    };
    return api;
  } catch (err) {
    await db.drop();
    throw err;
  }
}
