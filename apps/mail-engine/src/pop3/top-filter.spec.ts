import { describe, expect, it } from 'vitest';
import { TopCutter } from './top-filter.js';

const MESSAGE = 'From: a@b.test\r\nSubject: hi\r\n\r\nline 1\r\nline 2\r\nline 3\r\n';

function top(msg: string, lines: number, cuts: number[] = []): { out: string; doneAt: number } {
  const sut = new TopCutter(lines);
  const buf = Buffer.from(msg);
  const points = [...cuts, buf.length];
  let out = '';
  let prev = 0;
  let doneAt = -1;
  points.forEach((p, i) => {
    out += sut.push(buf.subarray(prev, p)).toString();
    if (sut.done && doneAt < 0) doneAt = i;
    prev = p;
  });
  return { out, doneAt };
}

describe('TopCutter', () => {
  it('sends the header, the blank line and n body lines', () => {
    expect(top(MESSAGE, 0).out).toBe('From: a@b.test\r\nSubject: hi\r\n\r\n');
    expect(top(MESSAGE, 2).out).toBe('From: a@b.test\r\nSubject: hi\r\n\r\nline 1\r\nline 2\r\n');
    expect(top(MESSAGE, 99).out).toBe(MESSAGE);
  });

  it('gives the same result at every chunk split', () => {
    for (let cut = 0; cut <= MESSAGE.length; cut++) {
      expect(top(MESSAGE, 1, [cut]).out, `cut at ${cut}`).toBe('From: a@b.test\r\nSubject: hi\r\n\r\nline 1\r\n');
    }
  });

  it('is done as soon as enough was sent, so the rest need not be read', () => {
    expect(top(MESSAGE, 0, [33, 40]).doneAt).toBe(0);
    expect(top(MESSAGE, 99).doneAt).toBe(-1);
  });

  it('sends a message without a blank line whole, and handles bare LF', () => {
    expect(top('Subject: only header\r\n', 0).out).toBe('Subject: only header\r\n');
    expect(top('A: b\n\nx\ny\n', 1).out).toBe('A: b\n\nx\n');
    expect(top('\r\nbody\r\n', 0).out).toBe('\r\n');
  });
});
