import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Spool } from './spool.js';

async function spoolIn(pieces: Buffer[], memoryBytes: number) {
  const s = new Spool({ maxBytes: 1 << 30, memoryBytes });
  for (const p of pieces) await s.write(p);
  return s.finish();
}

async function bytesOf(m: { chunks(n: number): AsyncIterable<Buffer> }, n: number): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of m.chunks(n)) out.push(c);
  return Buffer.concat(out);
}

describe('Spool', () => {
  const pieces = Array.from({ length: 40 }, (_, i) => Buffer.from(`${i === 0 ? 'Subject: s\r\n\r\n' : ''}line ${i} ${'x'.repeat(i * 7)}\r\n`));
  const whole = Buffer.concat(pieces);
  const digest = createHash('sha256').update(whole).digest();

  it('holds a small message in memory: one Buffer, chunks as views, the hash when asked', async () => {
    const m = await spoolIn(pieces, 1 << 20);
    expect(m.memory?.().equals(whole)).toBe(true);
    expect((await bytesOf(m, 100)).equals(whole)).toBe(true);
    expect(m.sha256.equals(digest)).toBe(true);
    expect(m.size).toBe(whole.length);
  });

  it('moves a larger one to a file, hashing what it held and what followed', async () => {
    const m = await spoolIn(pieces, 1000);
    try {
      expect(m.memory).toBeUndefined();
      expect(m.sha256.equals(digest)).toBe(true);
      expect((await bytesOf(m, 333)).equals(whole)).toBe(true);
      expect(m.headerBytes.toString()).toBe('Subject: s\r\n');
    } finally {
      await m.dispose();
    }
  });
});
