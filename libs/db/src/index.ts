export * from './entities/index.js';
export { createDataSource, type DataSourceOptions } from './data-source.js';
export { runMigrations, pendingSchemaDiff } from './migrate.js';
export { startEmbeddedPostgres, type EmbeddedServer, type EmbeddedOptions } from './embedded.js';
export { createTestDatabase, testServerUrl, type TestDatabase } from './test-database.js';
export { SnakeNamingStrategy } from './naming-strategy.js';
export { DataSource, type EntityManager, type Repository } from 'typeorm';
