import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderEnvExample } from './env-example.js';
import { schema } from './schema.js';

describe('.env.example', () => {
  it('is the committed rendering of the schema, listing every setting', () => {
    const committed = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    expect(committed).toBe(renderEnvExample());
    for (const s of Object.values(schema)) expect(committed).toContain(`${s.env}=`);
  });
});
