import { MigrationExecutor, type DataSource } from 'typeorm';

/** Arbitrary constant: every process that migrates takes this advisory lock first. */
const MIGRATION_LOCK = 0x4441_5257; // "DARW"

/**
 * Applies pending migrations, serialised across processes with an advisory lock so an API and
 * two engines starting together do not race. Returns the names of the migrations applied.
 */
export async function runMigrations(ds: DataSource): Promise<string[]> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      // On the connection that holds the lock: a pool of one connection must not wait for a second.
      const executor = new MigrationExecutor(ds, runner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}

/** SQL statements TypeORM would still run to make the database match the entities (empty when in agreement). */
export async function pendingSchemaDiff(ds: DataSource): Promise<string[]> {
  const log = await ds.driver.createSchemaBuilder().log();
  return log.upQueries.map((q) => q.query);
}
