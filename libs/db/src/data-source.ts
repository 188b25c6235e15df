import 'reflect-metadata';
import { DataSource, type LoggerOptions } from 'typeorm';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';
import { SnakeNamingStrategy } from './naming-strategy.js';

export interface DataSourceOptions {
  readonly url: string;
  readonly poolSize?: number;
  readonly logging?: LoggerOptions;
  /** Name shown in pg_stat_activity, e.g. "darwin-api". */
  readonly applicationName?: string;
}

/**
 * The TypeORM DataSource for the whole model. Schema changes go through the committed migrations
 * only: `synchronize` stays off everywhere, tests included.
 */
export function createDataSource(opts: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: opts.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    logging: opts.logging ?? false,
    poolSize: opts.poolSize ?? 10,
    applicationName: opts.applicationName ?? 'darwin',
  });
}
