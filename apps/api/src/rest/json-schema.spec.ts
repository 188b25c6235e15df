import { describe, expect, it } from 'vitest';
import { validateJson, type JsonSchema } from './json-schema.js';

const components: Record<string, JsonSchema> = {
  Thing: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'name'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string', minLength: 1, maxLength: 5 },
      size: { type: ['integer', 'null'], minimum: 0 },
      kind: { type: 'string', enum: ['a', 'b'] },
      at: { type: 'string', format: 'date-time' },
      tags: { type: 'array', items: { type: 'string' }, maxItems: 2 },
    },
  },
};
const sut = (v: unknown) => validateJson(v, { $ref: '#/components/schemas/Thing' }, components);

describe('JSON Schema subset validator', () => {
  it('accepts what matches', () => {
    expect(sut({ id: '0f8fad5b-d9cb-469f-a165-70867728950e', name: 'abc', size: null, kind: 'a', at: '2026-11-26T10:00:00.000Z', tags: ['x'] })).toEqual([]);
  });

  it('reports each problem with its path', () => {
    const problems = sut({ id: 'nope', name: '', size: -1.5, kind: 'c', at: 'yesterday', tags: ['x', 1, 'z'], extra: true });
    expect(problems.map((p) => p.path).sort()).toEqual(['/at', '/extra', '/id', '/kind', '/name', '/size', '/tags', '/tags/1'].sort());
    expect(sut({ name: 'a' })).toEqual([{ path: '/id', message: 'is required' }]);
    expect(sut('text')).toEqual([{ path: '', message: 'must be object, not string' }]);
  });
});
