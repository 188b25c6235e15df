import { createRequire } from 'node:module';
import { loadConfig } from '@darwin/config';
import { createDataSource } from '@darwin/db';
import { createLogger } from '@darwin/logger';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { createApiApp } from '../app.factory.js';

// The schema object must be printed by the same copy of `graphql` that built it. graphql 16 ships
// CommonJS (main) and ESM (module) builds without an exports map: Node, and so Nest and Apollo,
// load the CommonJS one, while Vite (the tests) would hand an ESM import the .mjs build, whose
// instanceof checks then refuse the schema. Requiring it gives the CommonJS copy everywhere.
const { printSchema } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

/**
 * The GraphQL schema in SDL, as the running app serves it: the real app is built (with a
 * DataSource that is never connected: building the schema touches no database) and its schema printed.
 */
export async function printApiSchema(): Promise<string> {
  const config = loadConfig({ DARWIN_JWT_SECRET: 'schema-printing-only-never-signs-a-real-token' });
  const dataSource = createDataSource({ url: 'postgres://schema@127.0.0.1:1/schema' });
  const app = await createApiApp({ config, dataSource, logger: createLogger({ app: 'api-schema' }, { level: 'error' }) });
  try {
    return printSchema(app.get(GraphQLSchemaHost).schema) + '\n';
  } finally {
    await app.close();
  }
}
