import { describe, expect, it } from 'vitest';
import { CommandFramer, literalMarker, type FramerEvent } from './framer.js';

function drain(sut: CommandFramer, onLiteral: (size: number, nonSync: boolean) => boolean = () => true): (string | FramerEvent)[] {
  const out: (string | FramerEvent)[] = [];
  for (let ev = sut.next(); ev; ev = sut.next()) {
    if (ev.type === 'command') out.push(`cmd:${ev.frame.lines.map((l) => l.toString()).join('|')} lits:${ev.frame.literals.map((l) => l.toString()).join('|')}`);
    else if (ev.type === 'too-long') out.push(`too-long:${ev.head.toString().slice(0, 10)}`);
    else if (ev.type === 'literal-data') out.push(`data:${ev.data.toString()}`);
    else if (ev.type === 'literal-end') out.push(`end:${ev.index}`);
    else {
      out.push(`literal:${ev.request.size}${ev.request.nonSync ? '+' : ''}`);
      if (onLiteral(ev.request.size, ev.request.nonSync)) sut.accept();
      else sut.reject();
    }
  }
  return out;
}

describe('literalMarker', () => {
  it.each([
    ['a LOGIN {5}', { size: 5, nonSync: false, binary: false }],
    ['a LOGIN {5+}', { size: 5, nonSync: true, binary: false }],
    ['a APPEND x ~{7}', { size: 7, nonSync: false, binary: true }],
    ['{0}', { size: 0, nonSync: false, binary: false }],
    ['a {99999999999999}', { size: 99999999999999, nonSync: false, binary: false }],
  ])('%s', (line, expected) => {
    expect(literalMarker(Buffer.from(line))).toEqual(expected);
  });
  it.each(['a NOOP', 'a {5', 'a {}', 'a {x}', 'a {5} ', 'a {+5}'])('no marker in %j', (line) => {
    expect(literalMarker(Buffer.from(line))).toBeUndefined();
  });
});

describe('CommandFramer', () => {
  const sut = () => new CommandFramer({ maxLineBytes: 64 });

  it('splits pipelined commands and accepts bare LF', () => {
    const f = sut();
    f.push(Buffer.from('a NOOP\r\nb CAPABILITY\nc LOGOUT\r\n'));
    expect(drain(f)).toEqual(['cmd:a NOOP lits:', 'cmd:b CAPABILITY lits:', 'cmd:c LOGOUT lits:']);
  });

  it('waits for the rest of a line split across packets', () => {
    const f = sut();
    f.push(Buffer.from('a NO'));
    expect(f.next()).toBeUndefined();
    f.push(Buffer.from('OP\r'));
    expect(f.next()).toBeUndefined();
    f.push(Buffer.from('\n'));
    expect(drain(f)).toEqual(['cmd:a NOOP lits:']);
  });

  it('reads literals (with CRLF inside) only after accept(), then the rest of the command', () => {
    const f = sut();
    f.push(Buffer.from('a LOGIN {4}\r\n'));
    const ev = f.next();
    expect(ev?.type).toBe('literal');
    expect(() => f.next()).toThrow(/pending/);
    f.accept();
    f.push(Buffer.from('u\r\nx {3+}\r\np w\r\nb NOOP\r\n'));
    expect(drain(f)).toEqual(['literal:3+', 'cmd:a LOGIN {4}| {3+}| lits:u\r\nx|p w', 'cmd:b NOOP lits:']);
  });

  it('a refused synchronising literal drops the command; the client never sends its bytes', () => {
    const f = sut();
    f.push(Buffer.from('a LOGIN {999}\r\nb NOOP\r\n'));
    expect(drain(f, () => false)).toEqual(['literal:999', 'cmd:b NOOP lits:']);
  });

  it('a refused non-synchronising literal is skipped together with the rest of its command', () => {
    const f = sut();
    f.push(Buffer.from('a LOGIN {5+}\r\nb NOO'));
    expect(drain(f, () => false)).toEqual(['literal:5+']);
    f.push(Buffer.from('P {2+}\r\nxy\r\nc NOOP\r\n'));
    expect(drain(f)).toEqual(['cmd:c NOOP lits:']);
  });

  it('an over-long line is reported once, discarded up to its end, and the next command is read', () => {
    const f = sut();
    f.push(Buffer.from(`a1 FETCH ${'x'.repeat(100)}`));
    expect(drain(f)).toEqual(['too-long:a1 FETCH x']);
    f.push(Buffer.from('y'.repeat(1000)));
    expect(drain(f)).toEqual([]);
    f.push(Buffer.from('zz\r\nb NOOP\r\n'));
    expect(drain(f)).toEqual(['cmd:b NOOP lits:']);
  });

  it('an over-long line complete in one packet is reported and skipped', () => {
    const f = sut();
    f.push(Buffer.from(`a1 FETCH ${'x'.repeat(100)}\r\nb NOOP\r\n`));
    expect(drain(f)).toEqual(['too-long:a1 FETCH x', 'cmd:b NOOP lits:']);
  });

  it('the discarded rest of an over-long command skips its non-synchronising literals too', () => {
    const f = sut();
    f.push(Buffer.from(`a1 LOGIN ${'x'.repeat(100)} {6+}\r\nb NOOP\r\nc NOOP\r\n`));
    expect(drain(f)).toEqual(['too-long:a1 LOGIN x', 'cmd:c NOOP lits:']);
  });

  it('counts the text of all lines of one command against the limit, literals excluded', () => {
    const f = sut();
    f.push(Buffer.from(`a X ${'x'.repeat(40)} {100}\r\n`));
    expect(drain(f)).toEqual(['literal:100']);
    f.push(Buffer.concat([Buffer.alloc(100, 'L'), Buffer.from(` ${'y'.repeat(40)}\r\nb NOOP\r\n`)]));
    expect(drain(f)).toEqual(['too-long:a X xxxxxx', 'cmd:b NOOP lits:']);
  });

  it('reports an empty line as a command with one empty line', () => {
    const f = sut();
    f.push(Buffer.from('\r\n'));
    expect(drain(f)).toEqual(['cmd: lits:']);
  });

  it('reset() forgets buffered input (STARTTLS)', () => {
    const f = sut();
    f.push(Buffer.from('a NOOP\r\nb NO'));
    f.reset();
    f.push(Buffer.from('c NOOP\r\n'));
    expect(drain(f)).toEqual(['cmd:c NOOP lits:']);
    expect(f.idle()).toBe(true);
  });

  it('feeds byte by byte with the same result as one push', () => {
    const input = 'a LOGIN {3}\r\nabc "p"\r\nb FETCH 1 (FLAGS)\r\n';
    const whole = sut();
    whole.push(Buffer.from(input));
    const expected = drain(whole);
    const split = sut();
    const got: (string | FramerEvent)[] = [];
    for (const ch of Buffer.from(input)) {
      split.push(Buffer.of(ch));
      got.push(...drain(split));
    }
    expect(got).toEqual(expected);
  });
});

describe('CommandFramer streaming literals', () => {
  it('hands the literal out as data events as it arrives, then completes the command with the literal marked streamed', () => {
    const sut = new CommandFramer({ maxLineBytes: 1000 });
    sut.push(Buffer.from('a APPEND INBOX {10}\r\n01234'));
    const ev = sut.next();
    expect(ev?.type).toBe('literal');
    sut.acceptStream();
    expect(sut.next()).toEqual({ type: 'literal-data', index: 0, data: Buffer.from('01234') });
    expect(sut.next()).toBeUndefined();
    sut.push(Buffer.from('56789\r\nb NOOP\r\n'));
    expect(sut.next()).toEqual({ type: 'literal-data', index: 0, data: Buffer.from('56789') });
    expect(sut.next()).toEqual({ type: 'literal-end', index: 0 });
    const cmd = sut.next();
    expect(cmd?.type === 'command' && cmd.frame.streamed?.has(0)).toBe(true);
    const next = sut.next();
    expect(next?.type === 'command' && next.frame.streamed).toBeUndefined();
  });
});
