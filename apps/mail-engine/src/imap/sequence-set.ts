/**
 * IMAP sequence sets (RFC 3501 section 9, `sequence-set`) by interval arithmetic.
 *
 * A set is kept as written: a list of ranges whose ends are numbers or `*`. It is resolved against
 * the selected mailbox (a message count for sequence numbers, the sorted UID list for UIDs) into
 * sorted, merged, half-open ranges of 0-based message indexes. Nothing here ever enumerates the
 * numbers of a range, so `1:4294967295` costs the same as `1:2`. Pure: no I/O.
 */

import { lowerBound } from '@darwin/core';

export const MAX_NUMBER = 4294967295;

/** One end of a range: a number, or `*` (the largest number in use). */
export type SeqBound = number | '*';

export interface SeqRange {
  readonly from: SeqBound;
  readonly to: SeqBound;
}

export type SequenceSet = readonly SeqRange[];

/** A half-open range of 0-based message indexes (index = sequence number - 1). */
export interface IndexRange {
  readonly start: number;
  readonly end: number;
}

export class SequenceSetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SequenceSetError';
  }
}

const NZ_NUMBER = /^[1-9][0-9]{0,9}$/;

function parseBound(text: string, whole: string): SeqBound {
  if (text === '*') return '*';
  if (!NZ_NUMBER.test(text)) throw new SequenceSetError(`Invalid sequence set "${shorten(whole)}"`);
  const n = Number(text);
  if (n > MAX_NUMBER) throw new SequenceSetError(`Number ${text} in sequence set is too large`);
  return n;
}

function shorten(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}

/** Parses `1,3:5,7:*`, `*`, `*:1` ... Throws SequenceSetError on anything else. */
export function parseSequenceSet(text: string): SequenceSet {
  if (text.length === 0) throw new SequenceSetError('Empty sequence set');
  const out: SeqRange[] = [];
  for (const item of text.split(',')) {
    const colon = item.indexOf(':');
    if (colon < 0) {
      const b = parseBound(item, text);
      out.push({ from: b, to: b });
    } else {
      out.push({ from: parseBound(item.slice(0, colon), text), to: parseBound(item.slice(colon + 1), text) });
    }
  }
  return out;
}

/** Sorts and merges overlapping or adjacent ranges. */
export function mergeRanges(ranges: readonly IndexRange[]): IndexRange[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: { start: number; end: number }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ start: r.start, end: r.end });
  }
  return out;
}

/**
 * Sequence numbers against a mailbox of `count` messages. RFC 3501 section 9 (seq-number): a
 * number greater than the number of messages is an error, and so is `*` in an empty mailbox; the
 * caller answers BAD.
 */
export function resolveSequenceNumbers(set: SequenceSet, count: number): IndexRange[] {
  const ranges: IndexRange[] = [];
  for (const r of set) {
    const a = r.from === '*' ? count : r.from;
    const b = r.to === '*' ? count : r.to;
    if (count === 0 && (r.from === '*' || r.to === '*')) throw new SequenceSetError('The mailbox is empty: "*" does not refer to any message');
    const hi = Math.max(a, b);
    if (hi > count) throw new SequenceSetError(`Invalid message sequence number ${hi}: the mailbox has ${count} message${count === 1 ? '' : 's'}`);
    ranges.push({ start: Math.min(a, b) - 1, end: hi });
  }
  return mergeRanges(ranges);
}

/**
 * Sequence numbers in SEARCH criteria: numbers above the message count match nothing instead of
 * being an error (what Dovecot does: `SEARCH 1:10` on 2 messages finds 1 and 2).
 */
export function resolveSequenceNumbersLenient(set: SequenceSet, count: number): IndexRange[] {
  if (count === 0) return [];
  const ranges: IndexRange[] = [];
  for (const r of set) {
    const a = r.from === '*' ? count : r.from;
    const b = r.to === '*' ? count : r.to;
    const lo = Math.min(a, b);
    const hi = Math.min(Math.max(a, b), count);
    if (lo <= hi) ranges.push({ start: lo - 1, end: hi });
  }
  return mergeRanges(ranges);
}

/** Re-exported: the IMAP code takes it from here with the other set arithmetic. */
export { lowerBound };

/**
 * UIDs against the ascending UID list of the mailbox. UIDs not in use are simply not matched
 * (RFC 3501 6.4.8); `*` is the largest UID in use, so `559:*` always includes the last message
 * even when 559 is above every UID. In an empty mailbox every set resolves to nothing.
 */
export function resolveUids(set: SequenceSet, uids: ArrayLike<number>): IndexRange[] {
  if (uids.length === 0) return [];
  const max = uids[uids.length - 1]!;
  const ranges: IndexRange[] = [];
  for (const r of set) {
    const a = r.from === '*' ? max : r.from;
    const b = r.to === '*' ? max : r.to;
    const start = lowerBound(uids, Math.min(a, b));
    const end = lowerBound(uids, Math.max(a, b) + 1);
    if (end > start) ranges.push({ start, end });
  }
  return mergeRanges(ranges);
}

export function countIndexes(ranges: readonly IndexRange[]): number {
  let n = 0;
  for (const r of ranges) n += r.end - r.start;
  return n;
}

/** The indexes of resolved ranges, in ascending order, produced lazily. */
export function* iterateIndexes(ranges: readonly IndexRange[]): Generator<number> {
  for (const r of ranges) for (let i = r.start; i < r.end; i++) yield i;
}

/** Compact form of ascending numbers: [1,2,3,5,7,8] -> "1:3,5,7:8" (for COPYUID and logs). */
export function formatNumbers(sorted: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}:${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * The UIDs of `set` (`*` being `maxUid`), from 1 to `maxUid`, that are not in `present` (sorted),
 * as a UID set: what VANISHED (EARLIER) reports once the expunge record no longer reaches back to
 * the client's modseq. Computed range by range, never one UID at a time.
 */
export function missingUids(set: SequenceSet, present: readonly number[], maxUid: number): string {
  const ranges = set
    .map((r) => {
      const a = r.from === '*' ? maxUid : r.from;
      const b = r.to === '*' ? maxUid : r.to;
      return { lo: Math.max(1, Math.min(a, b)), hi: Math.min(maxUid, Math.max(a, b)) };
    })
    .filter((r) => r.lo <= r.hi)
    .sort((x, y) => x.lo - y.lo);
  const parts: [number, number][] = [];
  const emit = (lo: number, hi: number) => {
    const last = parts[parts.length - 1];
    if (last && last[1] + 1 === lo) last[1] = hi;
    else parts.push([lo, hi]);
  };
  let done = 0;
  for (const r of ranges) {
    let lo = Math.max(r.lo, done + 1);
    if (lo > r.hi) continue;
    for (let i = lowerBound(present, lo); i < present.length && present[i]! <= r.hi; i++) {
      if (present[i]! > lo) emit(lo, present[i]! - 1);
      lo = present[i]! + 1;
    }
    if (lo <= r.hi) emit(lo, r.hi);
    done = r.hi;
  }
  return parts.map(([lo, hi]) => (lo === hi ? String(lo) : `${lo}:${hi}`)).join(',');
}
