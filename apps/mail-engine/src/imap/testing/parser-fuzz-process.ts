/**
 * Feeds random bytes through the framer and the parser, in a Node process of its own so that a
 * parser stuck in a loop can be killed and named (a synchronous loop would stop vitest's own
 * timers). Started by parser/parser.property.spec.ts as
 * `node --import ../../outbound/testing/ts-register.mjs parser-fuzz-process.ts <seed> <count>`.
 * Prints `{"i":n}` before case n and `{"done":true,"failures":[...]}` at the end; a failure is
 * anything thrown that is not the parser's own error (CommandSyntaxError, ParseError).
 */
import { CommandSyntaxError, formatForLog, parseCommand, readHead } from '../parser/command-parser.js';
import { CommandFramer, type Frame } from '../parser/framer.js';
import { ParseError, tokenize } from '../parser/tokenizer.js';
import { garbageCase } from './imap-fuzz.js';

const [seed, count] = process.argv.slice(2).map(Number) as [number, number];

function check(frame: Frame): void {
  try {
    formatForLog(parseCommand(frame));
  } catch (err) {
    if (!(err instanceof CommandSyntaxError)) throw err;
  }
  try {
    tokenize(frame);
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
  }
}

/** One input, pushed in random pieces; literals accepted, streamed or refused as a session would. */
function feed(i: number): void {
  const { rng, bytes } = garbageCase(seed, i);
  const framer = new CommandFramer({ maxLineBytes: 256 });
  // Every event consumes input or ends a literal, so more events than this means no progress.
  let budget = bytes.length * 2 + 16;
  for (let off = 0; off < bytes.length; ) {
    const n = rng.int(1, 64);
    framer.push(bytes.subarray(off, off + n));
    off += n;
    for (let ev = framer.next(); ev; ev = framer.next()) {
      if (--budget < 0) throw new Error('framer produced events without consuming input');
      if (ev.type === 'command') check(ev.frame);
      else if (ev.type === 'too-long') readHead(ev.head);
      else if (ev.type === 'literal') {
        readHead(ev.request.firstLine);
        if (ev.request.size > 1000) framer.reject();
        else if (rng.chance(0.3)) framer.acceptStream();
        else framer.accept();
      }
    }
  }
}

const failures: { i: number; error: string }[] = [];
for (let i = 0; i < count; i++) {
  process.stdout.write(`${JSON.stringify({ i })}\n`);
  try {
    feed(i);
  } catch (err) {
    failures.push({ i, error: err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err) });
  }
}
process.stdout.write(`${JSON.stringify({ done: true, failures })}\n`);
