import { describe, expect, it } from 'vitest';
import {
  countIndexes,
  formatNumbers,
  iterateIndexes,
  MAX_NUMBER,
  missingUids,
  parseSequenceSet,
  resolveSequenceNumbers,
  resolveSequenceNumbersLenient,
  resolveUids,
  SequenceSetError,
  type IndexRange,
  type SeqBound,
  type SequenceSet,
} from './sequence-set.js';

const TEN = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const indexes = (r: IndexRange[]) => [...iterateIndexes(r)];

describe('parseSequenceSet', () => {
  it.each([
    ['1', [{ from: 1, to: 1 }]],
    ['*', [{ from: '*', to: '*' }]],
    ['*:1', [{ from: '*', to: 1 }]],
    ['1:4294967295', [{ from: 1, to: MAX_NUMBER }]],
    ['1,3:5,7:*', [{ from: 1, to: 1 }, { from: 3, to: 5 }, { from: 7, to: '*' }]],
  ])('%s', (text, expected) => {
    expect(parseSequenceSet(text)).toEqual(expected);
  });

  it.each(['', '0', '1:0', '01', '1,', ',1', '1::2', 'a', '1:2:3', '4294967296', '99999999999', '1 2', '-1', '$'])('rejects %j', (text) => {
    expect(() => parseSequenceSet(text)).toThrow(SequenceSetError);
  });
});

describe('resolveSequenceNumbers', () => {
  it('1:* and *:1 select every message', () => {
    expect(indexes(resolveSequenceNumbers(parseSequenceSet('1:*'), 10))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(resolveSequenceNumbers(parseSequenceSet('*:1'), 10)).toEqual([{ start: 0, end: 10 }]);
  });
  it('* is the last message', () => {
    expect(resolveSequenceNumbers(parseSequenceSet('*'), 10)).toEqual([{ start: 9, end: 10 }]);
  });
  it('merges overlapping and adjacent ranges and sorts them', () => {
    expect(resolveSequenceNumbers(parseSequenceSet('7:*,1,3:5,2,4'), 10)).toEqual([
      { start: 0, end: 5 },
      { start: 6, end: 10 },
    ]);
  });
  it('a number above the message count is an error (RFC 3501 section 9), also inside a range', () => {
    expect(() => resolveSequenceNumbers(parseSequenceSet('11'), 10)).toThrow(/sequence number 11/);
    expect(() => resolveSequenceNumbers(parseSequenceSet('1:4294967295'), 10)).toThrow(SequenceSetError);
    expect(() => resolveSequenceNumbers(parseSequenceSet('1:4294967295'), 0)).toThrow(SequenceSetError);
  });
  it('* in an empty mailbox is an error', () => {
    expect(() => resolveSequenceNumbers(parseSequenceSet('*'), 0)).toThrow(/empty/);
    expect(() => resolveSequenceNumbers(parseSequenceSet('1:*'), 0)).toThrow(/empty/);
  });
  it('does not materialise ranges: the largest range of a huge mailbox is instant', () => {
    const t = Date.now();
    expect(countIndexes(resolveSequenceNumbers(parseSequenceSet('1:*,*:1,2:4294967295'), MAX_NUMBER))).toBe(MAX_NUMBER);
    expect(Date.now() - t).toBeLessThan(50);
  });
});

describe('resolveUids', () => {
  it('1:4294967295 on an empty folder is empty, on ten messages is all of them', () => {
    expect(resolveUids(parseSequenceSet('1:4294967295'), [])).toEqual([]);
    expect(resolveUids(parseSequenceSet('1:4294967295'), TEN)).toEqual([{ start: 0, end: 10 }]);
  });
  it('every set is empty in an empty folder, * included', () => {
    for (const s of ['*', '1:*', '*:1', '5']) expect(resolveUids(parseSequenceSet(s), [])).toEqual([]);
  });
  it('matches UIDs in use only; gaps are skipped', () => {
    const uids = [3, 5, 9, 20, 21];
    expect(indexes(resolveUids(parseSequenceSet('1:4'), uids))).toEqual([0]);
    expect(indexes(resolveUids(parseSequenceSet('6:8'), uids))).toEqual([]);
    expect(indexes(resolveUids(parseSequenceSet('5,9,10,21'), uids))).toEqual([1, 2, 4]);
  });
  it('559:* includes the last message even when 559 is above every UID (RFC 3501 6.4.8)', () => {
    expect(indexes(resolveUids(parseSequenceSet('559:*'), [3, 5, 9]))).toEqual([2]);
    expect(indexes(resolveUids(parseSequenceSet('*:559'), [3, 5, 9]))).toEqual([2]);
    expect(indexes(resolveUids(parseSequenceSet('*'), [3, 5, 9]))).toEqual([2]);
  });
  it('large UID lists and huge ranges cost one binary search per range', () => {
    const uids = Array.from({ length: 200_000 }, (_, i) => i * 7 + 1);
    const t = Date.now();
    expect(countIndexes(resolveUids(parseSequenceSet('1:4294967295,100:200,*'), uids))).toBe(200_000);
    expect(Date.now() - t).toBeLessThan(50);
  });
});

describe('formatNumbers', () => {
  it('compresses runs', () => {
    expect(formatNumbers([1, 2, 3, 5, 7, 8])).toBe('1:3,5,7:8');
    expect(formatNumbers([])).toBe('');
    expect(formatNumbers([4])).toBe('4');
  });
});

// Property checks: random sets on small inputs against a naive reference that materialises everything.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSet(rand: () => number, maxNumber: number): { text: string; set: SequenceSet } {
  const n = 1 + Math.floor(rand() * 4);
  const bound = (): SeqBound => (rand() < 0.15 ? '*' : 1 + Math.floor(rand() * maxNumber));
  const items: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = bound();
    items.push(rand() < 0.4 ? String(a) : `${a}:${bound()}`);
  }
  const text = items.join(',');
  return { text, set: parseSequenceSet(text) };
}

function naive(set: SequenceSet, values: readonly number[]): Set<number> | 'error' {
  const max = values.length === 0 ? undefined : Math.max(...values);
  const out = new Set<number>();
  for (const r of set) {
    if ((r.from === '*' || r.to === '*') && max === undefined) return 'error';
    const a = r.from === '*' ? max! : r.from;
    const b = r.to === '*' ? max! : r.to;
    for (let v = Math.min(a, b); v <= Math.max(a, b); v++) out.add(v);
  }
  return out;
}

describe('property: interval arithmetic agrees with a naive reference', () => {
  it('sequence numbers', () => {
    const rand = rng(42);
    for (let round = 0; round < 2000; round++) {
      const count = Math.floor(rand() * 12);
      const { text, set } = randomSet(rand, 15);
      const seqs = Array.from({ length: count }, (_, i) => i + 1);
      const ref = naive(set, seqs);
      const refError = ref === 'error' || [...ref].some((v) => v > count);
      let got: number[] | 'error';
      try {
        got = indexes(resolveSequenceNumbers(set, count)).map((i) => i + 1);
      } catch (err) {
        expect(err).toBeInstanceOf(SequenceSetError);
        got = 'error';
      }
      const want = refError ? 'error' : [...ref].sort((a, b) => a - b);
      expect(got, `set ${text} count ${count}`).toEqual(want);
    }
  });

  it('UIDs', () => {
    const rand = rng(7);
    for (let round = 0; round < 2000; round++) {
      const uids = [...new Set(Array.from({ length: Math.floor(rand() * 10) }, () => 1 + Math.floor(rand() * 30)))].sort((a, b) => a - b);
      const { text, set } = randomSet(rand, 35);
      const ref = naive(set, uids);
      const want = ref === 'error' ? [] : uids.filter((u) => ref.has(u));
      const got = indexes(resolveUids(set, uids)).map((i) => uids[i]);
      expect(got, `set ${text} uids ${uids.join(',')}`).toEqual(want);
    }
  });

  it('sequence numbers in SEARCH (lenient: numbers above the count match nothing, like Dovecot)', () => {
    const rand = rng(99);
    for (let round = 0; round < 2000; round++) {
      const count = Math.floor(rand() * 12);
      const { text, set } = randomSet(rand, 15);
      const seqs = Array.from({ length: count }, (_, i) => i + 1);
      const ref = naive(set, seqs);
      const want = ref === 'error' ? [] : [...ref].filter((v) => v <= count).sort((a, b) => a - b);
      const got = indexes(resolveSequenceNumbersLenient(set, count)).map((i) => i + 1);
      expect(got, `set ${text} count ${count}`).toEqual(want);
    }
  });

  it('missing UIDs (VANISHED without an expunge record): exactly the set\'s UIDs up to the limit that are not present', () => {
    const rand = rng(1234);
    for (let round = 0; round < 2000; round++) {
      const maxUid = 1 + Math.floor(rand() * 30);
      const present = [...new Set(Array.from({ length: Math.floor(rand() * 12) }, () => 1 + Math.floor(rand() * maxUid)))].sort((a, b) => a - b);
      const { text, set } = randomSet(rand, 35);
      const all = Array.from({ length: maxUid }, (_, i) => i + 1);
      const ref = naive(set, all);
      const want = ref === 'error' ? [] : all.filter((u) => ref.has(u) && !present.includes(u));
      expect(missingUids(set, present, maxUid), `set ${text} present ${present.join(',')} max ${maxUid}`).toBe(formatNumbers(want));
    }
    // A huge set costs one range, not four billion numbers.
    expect(missingUids(parseSequenceSet('1:4294967295'), [5, 6, 900], 1_000_000)).toBe('1:4,7:899,901:1000000');
  });

  it('never materialises a huge range: 1:4294967295 and *:1 on a million messages cost one interval', () => {
    expect(resolveSequenceNumbersLenient(parseSequenceSet('1:4294967295'), 1_000_000)).toEqual([{ start: 0, end: 1_000_000 }]);
    expect(resolveSequenceNumbers(parseSequenceSet('*:1'), 1_000_000)).toEqual([{ start: 0, end: 1_000_000 }]);
  });
});
