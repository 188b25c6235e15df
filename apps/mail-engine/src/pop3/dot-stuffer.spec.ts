import { describe, expect, it } from 'vitest';
import { DotStuffing } from './dot-stuffer.js';

function stuffAll(chunks: readonly Buffer[]): Buffer {
  const sut = new DotStuffing();
  return Buffer.concat([...chunks.map((c) => sut.stuff(c)), sut.finish()]);
}

/** What a client does: drop the first "." of each line that starts with one. */
function unstuff(wire: Buffer): Buffer {
  return Buffer.from(wire.toString('latin1').replace(/(^|\n)\./g, '$1'), 'latin1');
}

const MESSAGE = Buffer.from('Subject: dots\r\n\r\n.starts with a dot\r\n..two dots\r\nmiddle . dot\r\n.\r\n.\r\nend\r\n');
const STUFFED = Buffer.from('Subject: dots\r\n\r\n..starts with a dot\r\n...two dots\r\nmiddle . dot\r\n..\r\n..\r\nend\r\n');

describe('DotStuffing', () => {
  it('doubles the dot at each line start and nowhere else', () => {
    expect(stuffAll([MESSAGE]).toString()).toBe(STUFFED.toString());
  });

  it('gives the same bytes for every split of the message into two chunks', () => {
    for (let cut = 0; cut <= MESSAGE.length; cut++) {
      expect(stuffAll([MESSAGE.subarray(0, cut), MESSAGE.subarray(cut)]).toString(), `cut at ${cut}`).toBe(STUFFED.toString());
    }
  });

  it('gives the same bytes for every split into three chunks', () => {
    for (let a = 0; a <= MESSAGE.length; a++) {
      for (let b = a; b <= MESSAGE.length; b++) {
        const out = stuffAll([MESSAGE.subarray(0, a), MESSAGE.subarray(a, b), MESSAGE.subarray(b)]);
        if (!out.equals(STUFFED)) expect.fail(`cuts at ${a} and ${b}: ${JSON.stringify(out.toString())}`);
      }
    }
  });

  it('stuffs a dot that opens the message and a dot after a chunk that ended with CRLF', () => {
    expect(stuffAll([Buffer.from('.a\r\n'), Buffer.from('.b\r\n')]).toString()).toBe('..a\r\n..b\r\n');
    expect(stuffAll([Buffer.from('x\r'), Buffer.from('\n.y\r\n')]).toString()).toBe('x\r\n..y\r\n');
  });

  it('treats a bare LF as a line end', () => {
    expect(stuffAll([Buffer.from('a\n.b\n')]).toString()).toBe('a\n..b\n');
  });

  it('ends an unterminated last line with CRLF, and adds nothing otherwise', () => {
    expect(stuffAll([Buffer.from('a\r\nlast')]).toString()).toBe('a\r\nlast\r\n');
    expect(stuffAll([Buffer.from('a\r\n.')]).toString()).toBe('a\r\n..\r\n');
    expect(stuffAll([Buffer.from('a\r\n')]).toString()).toBe('a\r\n');
    expect(stuffAll([]).length).toBe(0);
  });

  it('counts the octets consumed and returns the input itself when there is nothing to stuff', () => {
    const sut = new DotStuffing();
    const chunk = Buffer.from('no dots here\r\n');
    expect(sut.stuff(chunk)).toBe(chunk);
    sut.stuff(Buffer.from('.x'));
    expect(sut.bytesIn).toBe(chunk.length + 2);
  });

  it('keeps 8-bit bytes intact and round-trips random messages split at random places', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const alphabet = Buffer.from('.\r\n.a\xff\u00e9 .', 'latin1');
    for (let round = 0; round < 300; round++) {
      const msg = Buffer.from(Array.from({ length: 1 + rand(200) }, () => alphabet[rand(alphabet.length)]!));
      const cuts = Array.from({ length: rand(6) }, () => rand(msg.length + 1)).sort((x, y) => x - y);
      const chunks: Buffer[] = [];
      let prev = 0;
      for (const c of [...cuts, msg.length]) {
        chunks.push(msg.subarray(prev, c));
        prev = c;
      }
      const wire = stuffAll(chunks);
      expect(wire.equals(stuffAll([msg]))).toBe(true);
      // No line of the wire form is the terminator, and un-stuffing gives the message back.
      expect(wire.toString('latin1').split('\n').some((l) => l === '.' || l === '.\r')).toBe(false);
      const expected = msg[msg.length - 1] === 0x0a ? msg : Buffer.concat([msg, Buffer.from('\r\n')]);
      expect(unstuff(wire).equals(expected)).toBe(true);
    }
  });
});
