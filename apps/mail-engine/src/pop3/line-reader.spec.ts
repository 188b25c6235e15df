import { describe, expect, it } from 'vitest';
import { LineReader, type LineEvent } from './line-reader.js';

const line = (text: string): LineEvent => ({ kind: 'line', line: text });

describe('LineReader', () => {
  it('splits pipelined commands in one chunk, in order', () => {
    const sut = new LineReader(255);
    expect(sut.push(Buffer.from('USER a@b.test\r\nPASS x y \r\nSTAT\r\n'))).toEqual([line('USER a@b.test'), line('PASS x y '), line('STAT')]);
  });

  it('joins a line split at every position', () => {
    const input = Buffer.from('LIST 12\r\nRETR 3\r\n');
    for (let cut = 0; cut <= input.length; cut++) {
      const sut = new LineReader(255);
      const events = [...sut.push(input.subarray(0, cut)), ...sut.push(input.subarray(cut))];
      expect(events, `cut at ${cut}`).toEqual([line('LIST 12'), line('RETR 3')]);
    }
  });

  it('delivers a line byte by byte only when its LF arrives', () => {
    const sut = new LineReader(255);
    const events: LineEvent[] = [];
    for (const b of Buffer.from('NOOP\r\n')) {
      expect(events).toEqual([]);
      events.push(...sut.push(Buffer.from([b])));
    }
    expect(events).toEqual([line('NOOP')]);
  });

  it('accepts bare LF, keeps empty lines and decodes UTF-8', () => {
    const sut = new LineReader(255);
    expect(sut.push(Buffer.from('NOOP\n\r\nUSER jürgen@exämple.test\r\n'))).toEqual([line('NOOP'), line(''), line('USER jürgen@exämple.test')]);
  });

  it('allows exactly the limit including CRLF, reports one too-long event beyond it and goes on', () => {
    const sut = new LineReader(10);
    expect(sut.push(Buffer.from('12345678\r\n'))).toEqual([line('12345678')]);
    expect(sut.push(Buffer.from('123456789\r\nNOOP\r\n'))).toEqual([{ kind: 'too-long' }, line('NOOP')]);
  });

  it('reports an over-long line once, as soon as it overflows, whatever the chunking', () => {
    const sut = new LineReader(10);
    expect(sut.push(Buffer.from('x'.repeat(8)))).toEqual([]);
    expect(sut.push(Buffer.from('x'.repeat(8)))).toEqual([{ kind: 'too-long' }]);
    expect(sut.push(Buffer.from('x'.repeat(1000)))).toEqual([]);
    expect(sut.push(Buffer.from('x\r\nSTAT\r\n'))).toEqual([line('STAT')]);
  });

  it('forgets a partial line on reset', () => {
    const sut = new LineReader(255);
    sut.push(Buffer.from('RETR 1'));
    sut.reset();
    expect(sut.push(Buffer.from('\r\nNOOP\r\n'))).toEqual([line(''), line('NOOP')]);
  });
});
