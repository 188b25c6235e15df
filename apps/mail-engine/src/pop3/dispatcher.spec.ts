import { createLogger } from '@darwin/logger';
import { describe, expect, it } from 'vitest';
import type { EngineContext } from '../engine-context.js';
import { noArgs } from './args.js';
import { defineCommand, type CommandSession, type Pop3Command, type Pop3Transaction } from './commands/command.js';
import { createRegistry } from './commands/registry.js';
import { Dispatcher } from './dispatcher.js';
import type { LineEvent } from './line-reader.js';
import { Pop3State } from './state.js';

/** A session that records what the dispatcher makes of each line; no network, no store. */
class RecordingSession implements CommandSession {
  readonly replies: string[] = [];
  readonly logLines: string[] = [];
  readonly log = createLogger({}, { level: 'debug', write: (l) => this.logLines.push(l) });
  readonly engine = {} as EngineContext;
  readonly remoteAddress = '127.0.0.1';
  readonly secure = false;
  state: Pop3State = Pop3State.Authorization;
  pendingUser: string | undefined;
  transaction: Pop3Transaction | undefined;
  ended = false;
  aborted = false;
  constructor(readonly commands: ReturnType<typeof createRegistry>) {}
  plaintextAllowed = () => true;
  startTls = async () => false;
  continuation = async () => undefined;
  authFailed = () => false;
  beginTransaction(): void {}
  enterUpdate(): void {}
  releaseMaildrop = async () => {};
  ok = async (text?: string) => void this.replies.push(text ? `+OK ${text}` : '+OK');
  err = async (text: string) => void this.replies.push(`-ERR ${text}`);
  multiline = async (first: string) => void this.replies.push(`+OK ${first} ...`);
  write = async () => {};
  end(): void {
    this.ended = true;
  }
  abort(): void {
    this.aborted = true;
  }
}

const calls: string[] = [];
const probe = defineCommand({
  name: 'PROBE',
  states: [Pop3State.Transaction],
  args: noArgs,
  async handle(s) {
    calls.push('PROBE');
    await s.ok('probed');
  },
});
const secret = defineCommand({
  name: 'SECRET',
  states: [Pop3State.Authorization],
  args: (raw: string) => ({ ok: true as const, value: raw }),
  secretArgs: true,
  async handle(s) {
    await s.ok();
  },
});
const boom = defineCommand({
  name: 'BOOM',
  states: [Pop3State.Authorization],
  args: noArgs,
  async handle() {
    throw new Error('bug');
  },
});

function setup(extra: Pop3Command<unknown>[] = [probe, secret, boom]) {
  const registry = createRegistry(extra);
  const s = new RecordingSession(registry);
  const sut = new Dispatcher(registry);
  const send = async (...lines: (string | LineEvent)[]) => {
    for (const l of lines) await sut.dispatch(s, typeof l === 'string' ? { kind: 'line', line: l } : l);
  };
  return { s, sut, send };
}

describe('Dispatcher', () => {
  it('answers unknown, empty and too-long lines with -ERR', async () => {
    const { s, send } = setup();
    await send('XYZZY', '', { kind: 'too-long' });
    expect(s.replies).toEqual(['-ERR Unknown command.', '-ERR Empty command.', '-ERR Line too long (more than 255 octets).']);
  });

  it('checks the state and the arguments before the handler runs', async () => {
    const { s, send } = setup();
    calls.length = 0;
    await send('probe');
    s.state = Pop3State.Transaction;
    await send('PROBE extra', 'SECRET x', 'probe');
    s.state = Pop3State.Update;
    await send('PROBE');
    expect(s.replies).toEqual([
      '-ERR Not logged in: send USER and PASS first.',
      '-ERR This command takes no arguments.',
      '-ERR Not allowed after login.',
      '+OK probed',
      '-ERR The session is ending.',
    ]);
    expect(calls).toEqual(['PROBE']);
  });

  it('closes after 20 bad commands in a row; a good one resets the count', async () => {
    const { s, send } = setup();
    s.state = Pop3State.Transaction;
    for (let i = 0; i < 19; i++) await send('BAD');
    await send('PROBE');
    for (let i = 0; i < 19; i++) await send('BAD');
    expect(s.ended).toBe(false);
    await send('BAD');
    expect(s.ended).toBe(true);
    expect(s.replies.at(-1)).toBe('-ERR Too many bad commands, closing connection.');
    expect(s.replies.filter((r) => r === '-ERR Unknown command.')).toHaveLength(38);
  });

  it('never logs secret arguments nor the arguments of unknown commands', async () => {
    const { s, send } = setup();
    await send('SECRET hunter2', 'PAS hunter3');
    const log = s.logLines.join('');
    expect(log).toContain('cmd=SECRET');
    expect(log).toContain('args=***');
    expect(log).not.toContain('hunter');
  });

  it("logs an unknown line's first word only when it is a POP3 keyword (a stray SASL response is a secret)", async () => {
    const { s, send } = setup();
    // "aHVudGVy" is base64 for "hunter": what a client sends if it answers a challenge never made.
    await send('aHVudGVy', 'APOP user digest', 'XTND XMIT');
    const log = s.logLines.join('');
    expect(log).not.toMatch(/aHVudGVy/i);
    expect(log).toContain('cmd="(not a POP3 keyword)"');
    expect(log).toContain('cmd=APOP');
    expect(log).toContain('cmd=XTND');
    expect(log).not.toContain('digest');
  });

  it('turns a handler exception into abort(), never a rejection', async () => {
    const { s, send } = setup();
    await expect(send('BOOM')).resolves.toBeUndefined();
    expect(s.aborted).toBe(true);
  });

  it('closes at once on an HTTP request line as the first line only', async () => {
    const first = setup();
    await first.send('GET / HTTP/1.1');
    expect(first.s.replies).toEqual(['-ERR This is a POP3 server.']);
    expect(first.s.ended).toBe(true);
    const later = setup();
    await later.send('NOOP', 'GET / HTTP/1.1');
    expect(later.s.ended).toBe(false);
  });

  it('has the real registry reject every transaction command before login', async () => {
    const { s, send } = setup(createRegistry().size ? [...createRegistry().values()] : []);
    await send('STAT', 'LIST', 'UIDL 1', 'RETR 1', 'TOP 1 0', 'DELE 1', 'RSET', 'NOOP');
    expect(s.replies).toEqual(Array(8).fill('-ERR Not logged in: send USER and PASS first.'));
    s.state = Pop3State.Transaction;
    await send('USER a', 'PASS b');
    expect(s.replies.slice(8)).toEqual(['-ERR Not allowed after login.', '-ERR Not allowed after login.']);
  });
});
