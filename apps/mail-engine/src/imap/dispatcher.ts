/**
 * Runs one framed command: parse, look up, check the state, read the arguments, call the handler,
 * report mailbox updates, write the tagged reply. Every check happens here, before any handler
 * runs, so handlers only see valid commands in the right state. Also decides on literals while a
 * command is still arriving (refused before the client is told to send them).
 */
import type { ArgSpec } from './commands/args.js';
import { ArgumentError, readArgs, secretPositions } from './commands/args.js';
import { isKnownCommand, type Registry } from './commands/registry.js';
import type { CommandSpec, SessionApi, SessionState } from './commands/types.js';
import { BrokenResponseError, ConnectionClosedError, ImapError } from './errors.js';
import { sendFolderUpdates } from './notifications.js';
import { CommandSyntaxError, formatForLog, parseCommand, readHead } from './parser/command-parser.js';
import type { Frame, LiteralRequest } from './parser/framer.js';
import { continuation, statusResponse, type CompiledResponse, type ResponseCode } from './protocol/compiler.js';

/** Literals of ordinary commands (LOGIN, SELECT ...) are read into memory: keep them small. */
export const DEFAULT_MAX_LITERAL = 64 * 1024;
/** All literals of one such command together. */
export const MAX_COMMAND_LITERALS = 256 * 1024;
const MAX_DEPTH = 16;

export type Outcome = 'OK' | 'NO' | 'BAD';

export type LiteralDecision =
  /** `stream`: read it into a spool of at most `size` bytes (APPEND), not into memory. */
  | { readonly accept: true; readonly reply?: CompiledResponse; readonly stream?: boolean }
  | { readonly accept: false; readonly reply: CompiledResponse; readonly outcome: Outcome; readonly close?: boolean };

export class Dispatcher {
  constructor(
    private readonly registry: Registry,
    private readonly opts: { maxDiscardBytes: number },
  ) {}

  async run(session: SessionApi, frame: Frame): Promise<Outcome> {
    const log = session.logResponses;
    let parsed;
    try {
      parsed = parseCommand(frame, { maxDepth: MAX_DEPTH });
    } catch (err) {
      if (!(err instanceof CommandSyntaxError)) throw err;
      await session.send(statusResponse(err.tag ?? '*', 'BAD', err.command && err.tag ? `${err.command}: ${err.message}` : err.message, undefined, log));
      return 'BAD';
    }
    const { tag, name } = parsed;
    const spec = this.registry.get(name);
    const refusal = spec ? stateRefusal(spec, session.state) : unknownCommand(name);
    if (refusal) {
      await session.send(statusResponse(tag, 'BAD', refusal, undefined, log));
      return 'BAD';
    }
    const command = spec!;
    let args;
    try {
      args = readArgs(command.args, parsed.args, { utf8: session.enabled.has('UTF8=ACCEPT') });
    } catch (err) {
      if (!(err instanceof ArgumentError)) throw err;
      if ((err as ArgumentError & { badCharset?: boolean }).badCharset) {
        await session.send(statusResponse(tag, 'NO', err.message, { name: 'BADCHARSET', args: '(US-ASCII UTF-8)' }, log));
        return 'NO';
      }
      await session.send(statusResponse(tag, 'BAD', `${name}: ${err.message}`, undefined, log));
      return 'BAD';
    }
    if (session.log.isEnabled('debug')) session.log.debug('command', { command: formatForLog(parsed, secretPositions(command.args as readonly ArgSpec<unknown>[])) });

    let status: 'OK' | 'NO' | 'BAD' = 'OK';
    let text: string;
    let code: ResponseCode | undefined;
    try {
      const done = await command.handle(session, args, tag);
      text = done.text;
      code = done.code;
    } catch (err) {
      if (err instanceof ConnectionClosedError || err instanceof BrokenResponseError) throw err;
      if (err instanceof ArgumentError) {
        // Arguments a handler reads itself (optional parts in the middle of the grammar).
        status = 'BAD';
        text = `${name}: ${err.message}`;
      } else if (err instanceof ImapError) {
        status = err.status;
        text = err.message;
        code = err.code;
      } else {
        session.log.error('command failed', { command: name, err });
        status = 'NO';
        text = 'Temporary server failure, please try again later.';
        code = { name: 'UNAVAILABLE' };
      }
    }
    if (session.state === 'selected' && status !== 'BAD') {
      try {
        await sendFolderUpdates(session, command.notify ?? 'pending', command.expunges ?? true);
      } catch (err) {
        if (err instanceof ConnectionClosedError || err instanceof BrokenResponseError) throw err;
        // The command itself succeeded; the updates will be tried again after the next command.
        session.log.warn('could not read mailbox updates', { err });
      }
    }
    await session.send(statusResponse(tag, status, text, code, log));
    return status;
  }

  /** Whether to read a literal of a command that is still arriving (decided before any `+`). */
  async literalDecision(session: SessionApi, req: LiteralRequest): Promise<LiteralDecision> {
    const log = session.logResponses;
    const head = readHead(req.firstLine);
    const refuse = (tag: string, status: 'NO' | 'BAD', text: string, code?: string): LiteralDecision => {
      const close = req.nonSync && req.size > this.opts.maxDiscardBytes;
      return {
        accept: false,
        outcome: status,
        close,
        reply: close ? statusResponse('*', 'BYE', `${text} Closing the connection.`, undefined, log) : statusResponse(tag, status, text, code ? { name: code } : undefined, log),
      };
    };
    if (head.error || !head.tag || !head.name) return refuse(head.tag ?? '*', 'BAD', head.error ?? 'Invalid command');
    const spec = this.registry.get(head.name);
    const refusal = spec ? stateRefusal(spec, session.state) : unknownCommand(head.name);
    if (refusal) return refuse(head.tag, 'BAD', refusal);
    if (req.binary && !spec!.acceptsBinaryLiteral?.(req)) return refuse(head.tag, 'BAD', 'Binary literals (~{n}) are only accepted in APPEND ... UTF8 (~{n}).');
    const streaming = spec!.streamLiteral?.(session, req);
    if (streaming) {
      const d = await streaming;
      if (d.refuse) return refuse(head.tag, req.nonSync ? 'BAD' : 'NO', d.refuse.text, d.refuse.code);
      return req.nonSync ? { accept: true, stream: true } : { accept: true, stream: true, reply: continuation('Ready for literal data', log) };
    }
    const max = spec!.maxLiteralBytes ?? DEFAULT_MAX_LITERAL;
    if (req.size > max || req.bytesSoFar + req.size > Math.max(max, MAX_COMMAND_LITERALS)) {
      // RFC 7888 section 4: a non-synchronising literal that is too large is answered BAD (its bytes are skipped).
      return refuse(head.tag, req.nonSync ? 'BAD' : 'NO', `Literal too large: ${head.name} accepts at most ${max} bytes.`, 'TOOBIG');
    }
    return req.nonSync ? { accept: true } : { accept: true, reply: continuation('Ready for literal data', log) };
  }
}

function unknownCommand(name: string): string {
  return isKnownCommand(name) ? `${name} is not supported by this server.` : `Unknown command ${name.length > 40 ? `${name.slice(0, 40)}...` : name}.`;
}

function stateRefusal(spec: CommandSpec, state: SessionState): string | undefined {
  if (spec.states.includes(state)) return undefined;
  if (state === 'not-authenticated') return `${spec.name} is not allowed before login.`;
  if (state === 'logout') return 'Logging out.';
  if (spec.states.every((s) => s === 'not-authenticated')) return `${spec.name} is not allowed: already logged in.`;
  if (spec.states.every((s) => s === 'selected')) return `${spec.name} needs a selected mailbox: use SELECT or EXAMINE first.`;
  return `${spec.name} is not allowed in this state.`;
}
