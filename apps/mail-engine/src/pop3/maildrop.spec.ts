import { describe, expect, it } from 'vitest';
import { Maildrop, type MaildropMessage } from './maildrop.js';

const msg = (uid: number, size: number): MaildropMessage => ({ id: String(1000 + uid), uid, size, blobId: `b${uid}` });

describe('Maildrop', () => {
  const make = () => new Maildrop([msg(3, 100), msg(7, 200), msg(9, 300)]);

  it('numbers the messages 1..n in the given order and counts them', () => {
    const sut = make();
    expect(sut.get(1)?.uid).toBe(3);
    expect(sut.get(3)?.uid).toBe(9);
    expect(sut.stat()).toEqual({ count: 3, octets: 600 });
    expect([...sut.entries()].map(([n, m]) => [n, m.id])).toEqual([
      [1, '1003'],
      [2, '1007'],
      [3, '1009'],
    ]);
  });

  it('has no message 0, n+1, negative or fractional numbers', () => {
    const sut = make();
    for (const n of [0, 4, -1, 1.5, Number.NaN, 1e300]) expect(sut.get(n), String(n)).toBeUndefined();
    expect(sut.markDeleted(4)).toBe(false);
  });

  it('keeps numbers fixed after DELE: the deleted number is gone, the others keep theirs', () => {
    const sut = make();
    expect(sut.markDeleted(2)).toBe(true);
    expect(sut.get(2)).toBeUndefined();
    expect(sut.get(3)?.uid).toBe(9);
    expect(sut.stat()).toEqual({ count: 2, octets: 400 });
    expect([...sut.entries()].map(([n]) => n)).toEqual([1, 3]);
    expect(sut.markDeleted(2)).toBe(false);
    expect(sut.stat()).toEqual({ count: 2, octets: 400 });
  });

  it('lists the deleted UIDs ascending and unmarks everything on reset', () => {
    const sut = make();
    sut.markDeleted(3);
    sut.markDeleted(1);
    expect(sut.deletedUids()).toEqual([3, 9]);
    sut.reset();
    expect(sut.deletedUids()).toEqual([]);
    expect(sut.stat()).toEqual({ count: 3, octets: 600 });
    expect(sut.get(1)?.uid).toBe(3);
  });

  it('copies the snapshot: later changes to the input do not show', () => {
    const input = [msg(1, 10)];
    const sut = new Maildrop(input);
    input.push(msg(2, 20));
    expect(sut.stat()).toEqual({ count: 1, octets: 10 });
  });

  it('handles an empty maildrop', () => {
    const sut = new Maildrop([]);
    expect(sut.stat()).toEqual({ count: 0, octets: 0 });
    expect([...sut.entries()]).toEqual([]);
    expect(sut.get(1)).toBeUndefined();
  });

  it('tells RETR which messages still need \\Seen: not those seen at login, and each only once', () => {
    const sut = new Maildrop([{ ...msg(3, 100), flags: ['\\Seen'] }, { ...msg(7, 200), flags: ['\\Answered'] }, msg(9, 300)]);
    expect(sut.markSeen(1)).toBe(false);
    expect(sut.markSeen(2)).toBe(true);
    expect(sut.markSeen(2)).toBe(false);
    expect(sut.markSeen(3)).toBe(true);
    expect(sut.markSeen(4)).toBe(false);
  });
});
