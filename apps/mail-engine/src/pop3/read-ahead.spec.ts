import type { MailStore } from '@darwin/mail-store';
import { describe, expect, it } from 'vitest';
import { Maildrop, type MaildropMessage } from './maildrop.js';
import { ReadAhead } from './read-ahead.js';

const LIMITS = { maxMessageBytes: 1_000, maxMessages: 8, maxBytes: 3_000 };

/** Messages 1..n of `size` octets each (or per-number sizes), blob "b<n>" holding "<n>" repeated. */
function maildrop(n: number, size: (k: number) => number = () => 100): Maildrop {
  const messages: MaildropMessage[] = Array.from({ length: n }, (_, i) => ({ id: String(i + 1), uid: i + 1, size: size(i + 1), blobId: `b${i + 1}` }));
  return new Maildrop(messages);
}
const content = (blobId: string, md: Maildrop) => {
  const n = Number(blobId.slice(1));
  return Buffer.alloc(md.get(n)?.size ?? 0, String(n % 10));
};

/** MailStore.readBlobs as PgMailStore answers it: blobs over `maxBytes` (or unknown) are left out. */
class FakeStore implements Pick<MailStore, 'readBlobs'> {
  calls: string[][] = [];
  maxBytes: number[] = [];
  fail = false;
  /** Throws synchronously instead of rejecting (a broken store must not break RETR either). */
  throwSync = false;
  /** Blob ids the store no longer has (expunged meanwhile). */
  gone = new Set<string>();
  /** Resolves queries only when released (to test overlapping). */
  hold = false;
  private waiting: (() => void)[] = [];
  constructor(private readonly md: Maildrop) {}
  readBlobs(ids: readonly string[], maxBytes: number): Promise<Map<string, Buffer>> {
    if (this.throwSync) throw new Error('not connected');
    return this.read(ids, maxBytes);
  }
  private async read(ids: readonly string[], maxBytes: number): Promise<Map<string, Buffer>> {
    this.calls.push([...ids]);
    this.maxBytes.push(maxBytes);
    if (this.hold) await new Promise<void>((r) => this.waiting.push(r));
    if (this.fail) throw new Error('database down');
    const out = new Map<string, Buffer>();
    for (const id of ids) {
      const bytes = content(id, this.md);
      if (!this.gone.has(id) && bytes.length <= maxBytes) out.set(id, bytes);
    }
    return out;
  }
  release(): void {
    for (const r of this.waiting.splice(0)) r();
  }
}

describe('ReadAhead', () => {
  it('serves an in-order download with one query per growing window, each message byte-exact', async () => {
    const md = maildrop(100);
    const store = new FakeStore(md);
    const sut = new ReadAhead(store, md, LIMITS);
    for (let n = 1; n <= 100; n++) {
      const bytes = await sut.take(n);
      expect(bytes?.equals(content(`b${n}`, md)), `message ${n}`).toBe(true);
    }
    // 100 messages, windows of 4 then up to 8 (the byte limit allows 30): about 13 queries, not 100.
    expect(store.calls.length).toBeLessThanOrEqual(14);
    expect(store.calls.flat()).toHaveLength(100);
    expect(new Set(store.calls.flat()).size).toBe(100); // nothing fetched twice
  });

  it('keeps a query ahead of an in-order client and waits for it rather than asking twice', async () => {
    const md = maildrop(40);
    const store = new FakeStore(md);
    const sut = new ReadAhead(store, md, LIMITS);
    store.hold = true;
    const first = sut.take(1);
    await new Promise((r) => setTimeout(r, 0));
    store.release();
    await first;
    // 1..4 came; 5..12 are on their way while the client reads 2, 3 and 4.
    expect(store.calls).toEqual([['b1', 'b2', 'b3', 'b4'], ['b5', 'b6', 'b7', 'b8', 'b9', 'b10', 'b11', 'b12']]);
    await sut.take(2);
    await sut.take(3);
    await sut.take(4);
    const fifth = sut.take(5);
    await new Promise((r) => setTimeout(r, 0));
    store.release();
    expect((await fifth)?.equals(content('b5', md))).toBe(true);
    // Message 5 was asked for once, by the query already running.
    expect(store.calls.flat().filter((id) => id === 'b5')).toHaveLength(1);
  });

  it('costs one message per query for random access', async () => {
    const md = maildrop(50);
    const store = new FakeStore(md);
    const sut = new ReadAhead(store, md, LIMITS);
    for (const n of [30, 7, 19, 3]) expect((await sut.take(n))?.equals(content(`b${n}`, md))).toBe(true);
    expect(store.calls).toEqual([['b30'], ['b7'], ['b19'], ['b3']]);
  });

  it('never reads large messages ahead, and goes on past them', async () => {
    const md = maildrop(10, (k) => (k === 3 || k === 4 ? 5_000 : 100));
    const store = new FakeStore(md);
    const sut = new ReadAhead(store, md, LIMITS);
    expect(await sut.take(1)).toBeDefined();
    expect(await sut.take(2)).toBeDefined();
    expect(await sut.take(3)).toBeUndefined();
    expect(await sut.take(4)).toBeUndefined();
    expect((await sut.take(5))?.equals(content('b5', md))).toBe(true);
    expect(store.calls.flat()).not.toContain('b3');
    expect(store.calls.flat()).not.toContain('b4');
  });

  it('skips messages marked deleted', async () => {
    const md = maildrop(10);
    md.markDeleted(2);
    md.markDeleted(3);
    const store = new FakeStore(md);
    const sut = new ReadAhead(store, md, LIMITS);
    await sut.take(1);
    expect(store.calls[0]).toEqual(['b1', 'b4', 'b5', 'b6']);
  });

  it('holds a bounded amount: never more than two queries\' worth', async () => {
    const md = maildrop(500, () => 400);
    const store = new FakeStore(md);
    const sut = new ReadAhead(store, md, LIMITS);
    for (let n = 1; n <= 500; n++) {
      await sut.take(n);
      expect(sut.held * 400).toBeLessThanOrEqual(2 * LIMITS.maxBytes);
    }
    for (const call of store.calls) expect(call.length * 400).toBeLessThanOrEqual(LIMITS.maxBytes);
  });

  it('answers undefined when the store fails (the message is streamed instead), and recovers', async () => {
    const md = maildrop(10);
    const store = new FakeStore(md);
    const sut = new ReadAhead(store, md, LIMITS);
    store.fail = true;
    expect(await sut.take(1)).toBeUndefined();
    store.fail = false;
    expect((await sut.take(2))?.equals(content('b2', md))).toBe(true);
  });

  it('asks the store for whole blobs of at most the read-ahead message limit', async () => {
    const md = maildrop(3);
    const store = new FakeStore(md);
    await new ReadAhead(store, md, LIMITS).take(1);
    expect(store.maxBytes).toEqual([LIMITS.maxMessageBytes]);
  });

  it('answers undefined for a message the store left out (gone meanwhile): it is streamed, which tells the client', async () => {
    const md = maildrop(6);
    const store = new FakeStore(md);
    store.gone.add('b2');
    const sut = new ReadAhead(store, md, LIMITS);
    expect((await sut.take(1))?.equals(content('b1', md))).toBe(true);
    expect(await sut.take(2)).toBeUndefined();
    expect((await sut.take(3))?.equals(content('b3', md))).toBe(true);
  });

  it('answers undefined when the store throws instead of rejecting', async () => {
    const md = maildrop(3);
    const store = new FakeStore(md);
    store.throwSync = true;
    const sut = new ReadAhead(store, md, LIMITS);
    expect(await sut.take(1)).toBeUndefined();
    store.throwSync = false;
    expect((await sut.take(2))?.equals(content('b2', md))).toBe(true);
  });
});
