#!/usr/bin/env node
// Writes a migration with the SQL that brings a database at the latest committed migration up to
// the entities. Usage: DATABASE_URL=postgres://... node libs/db/scripts/generate-migration.mjs Name
// (uses a scratch database on that server and drops it afterwards). Build libs/db first.
import { writeFileSync } from 'node:fs';
import { createTestDatabase } from '../dist/index.js';

const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  console.error('usage: generate-migration.mjs PascalCaseName');
  process.exit(2);
}
const db = await createTestDatabase();
try {
  const log = await db.dataSource.driver.createSchemaBuilder().log();
  if (log.upQueries.length === 0) {
    console.log('No changes: the entities match the migrations.');
    process.exit(0);
  }
  const ts = Date.now();
  const esc = (q) => q.query.replace(/\\/g, '\\\\').replace(/`/g, '\\`');
  const up = log.upQueries.map((q) => `    await q.query(\`${esc(q)}\`);`).join('\n');
  const down = log.downQueries.reverse().map((q) => `    await q.query(\`${esc(q)}\`);`).join('\n');
  const file = `src/migrations/${ts}-${name}.ts`;
  writeFileSync(
    new URL(`../${file}`, import.meta.url),
    `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${name}${ts} implements MigrationInterface {\n  name = '${name}${ts}';\n\n  async up(q: QueryRunner): Promise<void> {\n${up}\n  }\n\n  async down(q: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
  );
  console.log(`Wrote libs/db/${file}; add it to src/migrations/index.ts`);
} finally {
  await db.drop();
}
