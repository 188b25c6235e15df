import type { CommandSession, Registry } from './commands/command.js';
import { ConnectionClosed } from './errors.js';
import { looksLikeHttp, loggableKeyword } from './guards.js';
import { MAX_BAD_COMMANDS, MAX_COMMAND_LINE_OCTETS } from './limits.js';
import type { LineEvent } from './line-reader.js';
import { Pop3State } from './state.js';

const WRONG_STATE: Record<Pop3State, string> = {
  [Pop3State.Authorization]: 'Not logged in: send USER and PASS first.',
  [Pop3State.Transaction]: 'Not allowed after login.',
  [Pop3State.Update]: 'The session is ending.',
};

/**
 * Routes each received line of one session to its command, after the guards: too-long lines, HTTP
 * on the POP3 port, unknown keywords, commands in the wrong state and bad arguments are answered
 * here with -ERR and never reach a handler. Too many of them in a row close the connection.
 * An unexpected error in a handler is logged and closes the connection (without UPDATE, so nothing
 * is deleted); it never escapes the session.
 */
export class Dispatcher {
  private badInARow = 0;
  private lines = 0;

  constructor(private readonly registry: Registry) {}

  async dispatch(s: CommandSession, event: LineEvent): Promise<void> {
    this.lines += 1;
    if (event.kind === 'too-long') return this.reject(s, `Line too long (more than ${MAX_COMMAND_LINE_OCTETS} octets).`);
    const line = event.line;
    if (this.lines === 1 && looksLikeHttp(line)) {
      s.log.info('HTTP request on the POP3 port');
      await s.err('This is a POP3 server.');
      s.end();
      return;
    }
    const space = line.indexOf(' ');
    const keyword = space < 0 ? line : line.slice(0, space);
    const raw = space < 0 ? '' : line.slice(space + 1);
    const command = this.registry.get(keyword.toUpperCase());
    if (!command) {
      s.log.debug('unknown command', { cmd: loggableKeyword(keyword) });
      return this.reject(s, line.trim() === '' ? 'Empty command.' : 'Unknown command.');
    }
    if (!command.states.includes(s.state)) return this.reject(s, WRONG_STATE[s.state]);
    const args = command.args(raw);
    if (!args.ok) return this.reject(s, args.error);

    this.badInARow = 0;
    if (s.log.isEnabled('debug')) s.log.debug('command', { cmd: command.name, args: command.secretArgs ? '***' : raw });
    try {
      await command.handle(s, args.value);
    } catch (err) {
      if (err instanceof ConnectionClosed) return;
      s.log.error('command failed', { cmd: command.name, err });
      s.abort();
    }
  }

  private async reject(s: CommandSession, text: string): Promise<void> {
    this.badInARow += 1;
    if (this.badInARow >= MAX_BAD_COMMANDS) {
      s.log.info('too many bad commands');
      await s.err('Too many bad commands, closing connection.');
      s.end();
      return;
    }
    await s.err(text);
  }
}
