import { afterEach, describe, expect, it, vi } from 'vitest';
import { SeenMarks } from './seen-marks.js';

describe('SeenMarks', () => {
  afterEach(() => vi.useRealTimers());

  function setup(maxBatch = 3, maxDelayMs = 1_000) {
    const written: number[][] = [];
    let release: (() => void) | undefined;
    let slow = false;
    const write = async (uids: number[]) => {
      if (slow) await new Promise<void>((r) => (release = r));
      written.push(uids);
    };
    const sut = new SeenMarks(write, { maxBatch, maxDelayMs });
    return { sut, written, slowDown: () => (slow = true), release: () => release?.() };
  }

  it('writes nothing until a batch is full, then the whole batch at once, sorted and without repeats', async () => {
    vi.useFakeTimers();
    const { sut, written } = setup(4);
    sut.add(9);
    sut.add(2);
    sut.add(9);
    expect(written).toEqual([]);
    expect(sut.size).toBe(3);
    sut.add(5);
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toEqual([[2, 5, 9]]);
    expect(sut.size).toBe(0);
  });

  it('writes a partial batch after the delay, counted from the first mark', async () => {
    vi.useFakeTimers();
    const { sut, written } = setup(100, 1_000);
    sut.add(1);
    await vi.advanceTimersByTimeAsync(600);
    sut.add(2);
    await vi.advanceTimersByTimeAsync(399);
    expect(written).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(written).toEqual([[1, 2]]);
    // Nothing pending: no timer, no empty write.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(written).toEqual([[1, 2]]);
  });

  it('flush() writes what is pending and resolves after every earlier write, in order', async () => {
    const { sut, written, slowDown, release } = setup(2);
    slowDown();
    sut.add(1);
    sut.add(2); // batch full: a write starts and hangs
    sut.add(3);
    let flushed = false;
    const done = sut.flush().then(() => (flushed = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(flushed).toBe(false);
    release();
    await new Promise((r) => setTimeout(r, 0));
    release();
    await done;
    expect(written).toEqual([[1, 2], [3]]);
  });

  it('goes on after a failed write (the writer reports its own errors)', async () => {
    const written: number[][] = [];
    let fail = true;
    const sut = new SeenMarks(
      async (uids) => {
        if (fail) throw new Error('database down');
        written.push(uids);
      },
      { maxBatch: 10, maxDelayMs: 1_000 },
    );
    sut.add(1);
    await expect(sut.flush()).resolves.toBeUndefined();
    fail = false;
    sut.add(2);
    await sut.flush();
    expect(written).toEqual([[2]]);
  });

  it('flush() with nothing pending resolves at once and writes nothing', async () => {
    const { sut, written } = setup();
    await sut.flush();
    expect(written).toEqual([]);
  });
});
