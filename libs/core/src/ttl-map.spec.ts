import { describe, expect, it } from 'vitest';
import { TtlMap } from './ttl-map.js';

describe('TtlMap', () => {
  it('answers until an entry expires', () => {
    let t = 0;
    const m = new TtlMap<string, number>(10, () => t);
    m.set('a', 1, 1_000);
    expect(m.get('a')).toBe(1);
    t = 999;
    expect(m.get('a')).toBe(1);
    t = 1_000;
    expect(m.get('a')).toBeUndefined();
    expect(m.size).toBe(0);
  });

  it('when full, drops expired entries first, then everything; replacing a key needs no room', () => {
    let t = 0;
    const m = new TtlMap<string, number>(3, () => t);
    m.set('old', 1, 100);
    m.set('b', 2, 10_000);
    m.set('c', 3, 10_000);
    m.set('c', 4, 10_000);
    expect(m.size).toBe(3);
    t = 200;
    m.set('d', 5, 10_000);
    expect([m.get('old'), m.get('b'), m.get('d')]).toEqual([undefined, 2, 5]);
    m.set('e', 6, 10_000);
    expect(m.size).toBe(1);
    expect(m.get('e')).toBe(6);
  });
});
