import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { printApiSchema } from './api-schema.js';

describe('committed GraphQL schema', () => {
  it('matches the schema built from the code (run `npm run schema -w apps/api` after changing the API)', async () => {
    const committed = await readFile(new URL('../../schema.graphql', import.meta.url), 'utf8');
    const sut = await printApiSchema();
    expect(sut).toBe(committed);
  });
});
