/**
 * Property tests of framer + tokenizer + command parser on seeded random input: what a generated
 * command says is what the parser reads back, however the bytes are split into packets; random
 * bytes only ever raise the parser's own errors and never hang it. A failure names its seed and
 * case, which the generators in ../testing/imap-fuzz.ts replay exactly.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSequenceSet } from '../sequence-set.js';
import { garbageCase, randomCommand, Rng, type GeneratedCommand } from '../testing/imap-fuzz.js';
import { CommandSyntaxError, parseCommand } from './command-parser.js';
import { CommandFramer, type Frame } from './framer.js';

const SEEDS = [1, 2, 3, 20261127];
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Frames of a byte stream pushed in random pieces, literals accepted; also the literal requests seen. */
function frames(rng: Rng, wire: Buffer): { frames: Frame[]; literals: { size: number; nonSync: boolean }[] } {
  const framer = new CommandFramer({ maxLineBytes: 64 * 1024 });
  const out: Frame[] = [];
  const literals: { size: number; nonSync: boolean }[] = [];
  for (let off = 0; off < wire.length; ) {
    const n = rng.int(1, 40);
    framer.push(wire.subarray(off, off + n));
    off += n;
    for (let ev = framer.next(); ev; ev = framer.next()) {
      if (ev.type === 'command') out.push(ev.frame);
      else if (ev.type === 'literal') {
        literals.push({ size: ev.request.size, nonSync: ev.request.nonSync });
        framer.accept();
      } else throw new Error(`unexpected framer event ${ev.type}`);
    }
  }
  expect(framer.idle()).toBe(true);
  return { frames: out, literals };
}

describe('parser properties (seeded random input)', () => {
  it.each(SEEDS)('seed %i: 300 random pipelined commands (atoms, quoted strings with escapes, {n} and {n+} literals, nested lists, sections, sequence sets) parse back to what was generated', (seed) => {
    const rng = new Rng(seed);
    let batch: GeneratedCommand[] = [];
    const verify = () => {
      // Several commands in one stream: pipelining must not blur where one ends.
      const got = frames(rng, Buffer.concat(batch.map((c) => c.wire)));
      expect(got.frames).toHaveLength(batch.length);
      expect(got.literals).toEqual(batch.flatMap((c) => c.literals));
      batch.forEach((cmd, k) => {
        const where = `seed ${seed}, command ${JSON.stringify(cmd.wire.toString('utf8'))}`;
        expect(parseCommand(got.frames[k]!), where).toEqual({ tag: cmd.tag, name: cmd.name, args: cmd.args });
        for (const s of cmd.sequenceSets) expect(parseSequenceSet(s.text), where).toEqual(s.ranges);
      });
      batch = [];
    };
    for (let i = 0; i < 300; i++) {
      batch.push(randomCommand(rng));
      if (rng.chance(0.4)) verify();
    }
    verify();
  });

  it('the generator covers what it claims: escapes, both literal kinds, CR/LF/NUL in literals, nesting, sections, *', () => {
    const rng = new Rng(SEEDS[0]!);
    const wire = Array.from({ length: 300 }, () => randomCommand(rng).wire.toString('utf8')).join('');
    for (const piece of ['\\"', '\\\\', '}\r\n', '+}\r\n', '((', 'BODY[', ']<', ':*', '\0']) expect(wire).toContain(piece);
  });

  it('100,000 nested lists are a CommandSyntaxError (depth limit), not a stack overflow', () => {
    const line = Buffer.from(`a FETCH ${'('.repeat(100_000)}${')'.repeat(100_000)}`);
    expect(() => parseCommand({ lines: [line], literals: [] })).toThrow(CommandSyntaxError);
  });

  it.each(SEEDS)('seed %i: 3,000 inputs of random bytes raise only CommandSyntaxError/ParseError and never hang', async (seed) => {
    const count = 3000;
    const child = spawn(process.execPath, ['--import', here('../../outbound/testing/ts-register.mjs'), here('../testing/parser-fuzz-process.ts'), String(seed), String(count)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let last = -1;
    let result: { failures: { i: number; error: string }[] } | undefined;
    const lines = createInterface({ input: child.stdout });
    const finished = new Promise<void>((resolve) => {
      lines.on('line', (l) => {
        const msg = JSON.parse(l) as { i?: number; done?: boolean; failures?: { i: number; error: string }[] };
        if (msg.done) result = { failures: msg.failures! };
        else last = msg.i!;
      });
      child.on('close', () => resolve());
    });
    // Each case takes well under a millisecond; 20 s without finishing is a hang.
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await finished;
    clearTimeout(timer);
    if (!result) {
      const stuck = garbageCase(seed, last).bytes;
      throw new Error(`parser did not finish case ${last} of seed ${seed} (${JSON.stringify(stuck.toString('latin1'))}); stderr: ${stderr.slice(-2000)}`);
    }
    const shown = result.failures.slice(0, 3).map((f) => `case ${f.i} ${JSON.stringify(garbageCase(seed, f.i).bytes.toString('latin1'))}:\n${f.error}`);
    expect(shown, `${result.failures.length} inputs threw something other than the parser's errors`).toEqual([]);
    expect(last).toBe(count - 1);
  }, 30_000);
});
