/**
 * A framed command -> tag, command name and argument tokens. `UID x` becomes the name `UID x`, so
 * UID variants are separate registry entries. Also reads just the tag and name from a first line,
 * which the session needs before a command is complete (literal decisions, over-long lines).
 * Pure.
 */
import type { Frame } from './framer.js';
import { ParseError, tokenize, type Token, type TokenizeOptions } from './tokenizer.js';

export interface ParsedCommand {
  readonly tag: string;
  /** Upper case; `UID FETCH` for UID variants. */
  readonly name: string;
  readonly args: readonly Token[];
}

/** A syntax error; `tag` is set when the tag itself was valid, so the reply can be tagged. */
export class CommandSyntaxError extends Error {
  constructor(
    message: string,
    readonly tag?: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'CommandSyntaxError';
  }
}

export interface CommandHead {
  readonly tag?: string;
  readonly name?: string;
  /** Why the head is unusable (bad tag, missing name); undefined when tag and name are fine. */
  readonly error?: string;
  /** Byte offset in the first line where the arguments start (after the separating space). */
  readonly argsAt: number;
  /** True when the first line has nothing after the command name. */
  readonly noArgs: boolean;
}

const MAX_TAG = 256;

/** RFC 3501 tag: 1*<ASTRING-CHAR except "+">. */
export function isValidTag(tag: string): boolean {
  return tag.length > 0 && tag.length <= MAX_TAG && /^[\x21-\x7e]+$/.test(tag) && !/[(){%*"\\+]/.test(tag);
}

function word(line: Buffer, from: number): { text: string; end: number } {
  let end = from;
  while (end < line.length && line[end] !== 0x20) end++;
  return { text: line.subarray(from, end).toString('latin1'), end };
}

const NAME = /^[A-Za-z][A-Za-z0-9._-]*$/;

/** Tag and command name of a first line, without looking at the arguments. */
export function readHead(firstLine: Buffer): CommandHead {
  const t = word(firstLine, 0);
  if (!isValidTag(t.text)) return { error: t.text.length === 0 ? 'Missing tag' : 'Invalid tag', argsAt: 0, noArgs: true };
  const tag = t.text;
  if (t.end >= firstLine.length) return { tag, error: 'Missing command', argsAt: t.end, noArgs: true };
  const n = word(firstLine, t.end + 1);
  if (!NAME.test(n.text)) return { tag, error: n.text.length === 0 ? 'Missing command' : 'Invalid command name', argsAt: n.end, noArgs: true };
  let name = n.text.toUpperCase();
  let end = n.end;
  if (name === 'UID') {
    if (end >= firstLine.length) return { tag, name, error: 'UID needs a command (FETCH, STORE, COPY, SEARCH ...)', argsAt: end, noArgs: true };
    const sub = word(firstLine, end + 1);
    if (!NAME.test(sub.text)) return { tag, name, error: 'Invalid UID command', argsAt: sub.end, noArgs: true };
    name = `UID ${sub.text.toUpperCase()}`;
    end = sub.end;
  }
  if (end >= firstLine.length) return { tag, name, argsAt: end, noArgs: true };
  return { tag, name, argsAt: end + 1, noArgs: false };
}

/** Parses a complete command. Throws CommandSyntaxError (with the tag when it was readable). */
export function parseCommand(frame: Frame, opts: TokenizeOptions = {}): ParsedCommand {
  const first = frame.lines[0]!;
  const head = readHead(first);
  if (head.error || !head.tag || !head.name) throw new CommandSyntaxError(head.error ?? 'Invalid command', head.tag, head.name);
  if (head.noArgs) return { tag: head.tag, name: head.name, args: [] };
  try {
    return { tag: head.tag, name: head.name, args: tokenize(frame, 0, head.argsAt, opts) };
  } catch (err) {
    if (err instanceof ParseError) throw new CommandSyntaxError(err.message, head.tag, head.name);
    throw err;
  }
}

/** For logs: the command with the arguments at `secret` positions masked and long strings cut. */
export function formatForLog(cmd: ParsedCommand, secret: ReadonlySet<number> = new Set()): string {
  const args = cmd.args.map((t, i) => (secret.has(i) ? '***' : tokenForLog(t)));
  return [cmd.tag, cmd.name, ...args].join(' ');
}

function tokenForLog(t: Token): string {
  switch (t.type) {
    case 'nil':
      return 'NIL';
    case 'atom': {
      let s = t.value;
      if (t.section) s += `[${t.section.map(tokenForLog).join(' ')}]`;
      if (t.partial) s += `<${t.partial.offset}${t.partial.length === undefined ? '' : `.${t.partial.length}`}>`;
      return s;
    }
    case 'list':
      return `(${t.items.map(tokenForLog).join(' ')})`;
    case 'string': {
      const v = t.value.length > 64 ? `${t.value.slice(0, 64)}...` : t.value;
      return t.literal ? `{${Buffer.byteLength(t.value)}}${JSON.stringify(v)}` : JSON.stringify(v);
    }
  }
}
