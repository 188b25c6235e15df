import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { measureQuery } from './query-limits.js';

describe('query depth and cost', () => {
  it('counts depth from the root fields and ignores introspection', () => {
    expect(measureQuery(parse('{ me { id } }'), undefined)).toEqual({ depth: 2, cost: 2 });
    expect(measureQuery(parse('{ __schema { types { fields { type { ofType { name } } } } } }'), undefined).depth).toBe(0);
    const deep = parse('{ tenants { nodes { plan { id } } } }');
    expect(measureQuery(deep, undefined).depth).toBe(4);
  });

  it('multiplies what is below a page by its size (literal, variable, or the maximum when unknown)', () => {
    const q = parse('query($n: Int) { tenants(first: $n) { nodes { id name } totalCount } }');
    // tenants 1 + (nodes, id, name, totalCount) per item
    expect(measureQuery(q, undefined, { n: 10 }).cost).toBe(1 + 10 * 4);
    expect(measureQuery(q, undefined, {}).cost).toBe(1 + 200 * 4);
    expect(measureQuery(parse('{ tenants(first: 2) { nodes { id } } }'), undefined).cost).toBe(1 + 2 * 2);
    expect(measureQuery(parse('{ tenants { nodes { id } } }'), undefined).cost).toBe(3);
  });

  it('follows fragments, picks the named operation', () => {
    const doc = parse('fragment F on Tenant { id plan { id name } } query A { me { id } } query B { tenants(first: 5) { nodes { ...F } } }');
    expect(measureQuery(doc, 'A')).toEqual({ depth: 2, cost: 2 });
    expect(measureQuery(doc, 'B')).toEqual({ depth: 4, cost: 1 + 5 * (1 + 1 + 1 + 2) });
  });
});
