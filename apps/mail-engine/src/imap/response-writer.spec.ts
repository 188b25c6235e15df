import { Duplex, Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BrokenResponseError, ConnectionClosedError } from './errors.js';
import { ResponseWriter } from './response-writer.js';

/** A socket stand-in with a small buffer whose reader takes its time. */
function slowSocket(highWaterMark: number, delayMs: number) {
  const received: Buffer[] = [];
  let maxBuffered = 0;
  const socket = new Duplex({
    highWaterMark,
    read() {},
    write(chunk: Buffer, _enc, cb) {
      setTimeout(() => {
        received.push(chunk);
        cb();
      }, delayMs);
    },
  });
  const origWrite = socket.write.bind(socket);
  socket.write = ((chunk: Buffer, ...rest: never[]) => {
    const ok = origWrite(chunk, ...rest);
    maxBuffered = Math.max(maxBuffered, socket.writableLength);
    return ok;
  }) as typeof socket.write;
  return { socket, received, maxBuffered: () => maxBuffered };
}

function chunks(total: number, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < total; i += size) out.push(Buffer.alloc(Math.min(size, total - i), i / size));
  return out;
}

describe('ResponseWriter', () => {
  it('streams a body with backpressure: never more than one chunk beyond the socket buffer', async () => {
    const { socket, received, maxBuffered } = slowSocket(16 * 1024, 1);
    const sut = new ResponseWriter(socket, () => {});
    const body = chunks(2 * 1024 * 1024, 64 * 1024);
    let pulled = 0;
    let maxLead = 0;
    const stream = new Readable({
      highWaterMark: 1,
      read() {
        // How far the source is ahead of what the client has taken.
        const taken = received.reduce((n, b) => n + b.length, 0);
        maxLead = Math.max(maxLead, pulled * 64 * 1024 - taken);
        // Asynchronous, like the database-backed blob stream: one chunk per read.
        setImmediate(() => this.push(pulled < body.length ? body[pulled++]! : null));
      },
    });
    await sut.write([Buffer.from('* 1 FETCH (BODY[] {2097152}\r\n'), { type: 'stream', size: 2 * 1024 * 1024, open: () => stream }, Buffer.from(')\r\n')]);
    await sut.flush();
    await new Promise<void>((resolve) => socket.end(resolve));
    const all = Buffer.concat(received);
    expect(all.subarray(0, 29).toString()).toBe('* 1 FETCH (BODY[] {2097152}\r\n');
    expect(all.subarray(29, 29 + 2 * 1024 * 1024).equals(Buffer.concat(body))).toBe(true);
    expect(all.subarray(-3).toString()).toBe(')\r\n');
    expect(maxBuffered()).toBeLessThanOrEqual(64 * 1024 + 64);
    // The source was read only as fast as the client took the bytes: at most a few chunks ahead.
    expect(maxLead).toBeLessThanOrEqual(3 * 64 * 1024);
  });

  it('gathers small responses into few writes', async () => {
    const { socket, received } = slowSocket(1024 * 1024, 0);
    const sut = new ResponseWriter(socket, () => {});
    for (let i = 0; i < 100; i++) await sut.write([Buffer.from(`* ${i} EXISTS\r\n`)]);
    await sut.flush();
    await new Promise<void>((resolve) => socket.end(resolve));
    expect(received.length).toBe(1);
  });

  it('hands message bodies to the socket without copying them, joining only the small pieces between', async () => {
    const { socket, received } = slowSocket(1024 * 1024, 0);
    const sut = new ResponseWriter(socket, () => {});
    const bodies = [Buffer.alloc(10_240, 'a'), Buffer.alloc(10_240, 'b')];
    await sut.write([Buffer.from('* 1 FETCH (BODY[] {10240}\r\n'), bodies[0]!, Buffer.from(')\r\n'), Buffer.from('* 2 FETCH (BODY[] {10240}\r\n'), bodies[1]!, Buffer.from(')\r\n')]);
    await sut.flush();
    await new Promise<void>((resolve) => socket.end(resolve));
    // The very same Buffer objects reached the socket (no copy); the text between them is one piece.
    expect(received).toHaveLength(5);
    expect(received[1]).toBe(bodies[0]);
    expect(received[3]).toBe(bodies[1]);
    expect(received[2]!.toString()).toBe(')\r\n* 2 FETCH (BODY[] {10240}\r\n');
  });

  it('a body shorter or longer than announced breaks the response', async () => {
    const { socket } = slowSocket(1024, 0);
    const sut = new ResponseWriter(socket, () => {});
    await expect(sut.write([{ type: 'stream', size: 10, open: () => Readable.from([Buffer.from('short')]) }])).rejects.toBeInstanceOf(BrokenResponseError);
    expect(sut.midResponse).toBe(true);
    const other = new ResponseWriter(slowSocket(1024, 0).socket, () => {});
    await expect(other.write([{ type: 'stream', size: 3, open: () => Readable.from([Buffer.from('toolong')]) }])).rejects.toThrow(/longer/);
  });

  it('a failing body stream breaks the response and is destroyed', async () => {
    const { socket } = slowSocket(1024, 0);
    const sut = new ResponseWriter(socket, () => {});
    const stream = new Readable({
      read() {
        this.destroy(new Error('disk on fire'));
      },
    });
    await expect(sut.write([{ type: 'stream', size: 10, open: () => stream }])).rejects.toBeInstanceOf(BrokenResponseError);
    expect(stream.destroyed).toBe(true);
  });

  it('rejects with ConnectionClosedError when the socket closes while waiting for drain', async () => {
    const { socket } = slowSocket(8, 10_000);
    const sut = new ResponseWriter(socket, () => {});
    const pending = sut.write([Buffer.alloc(64 * 1024)]).then(() => sut.flush());
    await sleep(20);
    expect(sut.blockedFor()).toBeGreaterThan(0);
    socket.destroy();
    await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(sut.write([Buffer.from('x')]).then(() => sut.flush())).rejects.toBeInstanceOf(ConnectionClosedError);
  });
});
