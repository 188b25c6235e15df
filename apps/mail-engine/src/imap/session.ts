/**
 * One IMAP connection: the state machine (not authenticated -> authenticated <-> selected ->
 * logout), the input loop, timeouts and guards. Commands are taken from the framer one at a time
 * and each runs to its tagged reply before the next is even parsed, so pipelined commands are
 * answered strictly in order and a continuation request can never land inside another response.
 *
 * The transport is attached and detached as a unit (socket listeners, framer, writer) so that
 * STARTTLS can later swap the plain socket for a TLS one on the same session.
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { newId, type Logger } from '@darwin/logger';
import type { MailboxAccount } from '@darwin/mail-store';
import { plaintextAllowed, type EngineContext } from '../engine-context.js';
import type { CompiledResponse } from './protocol/compiler.js';
import { statusResponse } from './protocol/compiler.js';
import type { SessionApi, SessionState } from './commands/types.js';
import type { Dispatcher, Outcome } from './dispatcher.js';
import { BrokenResponseError, ConnectionClosedError } from './errors.js';
import { CommandFramer, type FramerEvent, type LiteralRequest } from './parser/framer.js';
import { readHead } from './parser/command-parser.js';
import { ResponseWriter } from './response-writer.js';
import type { SelectedFolder } from './selected-folder.js';

export interface SessionLimits {
  /** Consecutive BAD answers after which the connection is closed. */
  readonly maxBadCommands: number;
  /** Failed logins on one connection before it is closed. */
  readonly maxLoginFailures: number;
  /** Unprocessed input above which reading from the socket pauses. */
  readonly inputHighWater: number;
}

export const DEFAULT_LIMITS: SessionLimits = { maxBadCommands: 20, maxLoginFailures: 5, inputHighWater: 1024 * 1024 };

const HTTP_REQUEST = /^(GET|POST|HEAD|PUT|DELETE|OPTIONS|CONNECT|PATCH) \S+ HTTP\/\d/;

export class ImapSession implements SessionApi {
  readonly cid = newId('imap-');
  readonly log: Logger;
  readonly logResponses: boolean;
  readonly remoteAddress: string | undefined;
  state: SessionState = 'not-authenticated';
  account: MailboxAccount | undefined;
  selected: SelectedFolder | undefined;

  private socket: Duplex;
  private readonly framer: CommandFramer;
  private readonly writer: ResponseWriter;
  private readonly startedAt = Date.now();
  private busy = false;
  private closed = false;
  private paused = false;
  private commandsSeen = 0;
  private badInARow = 0;
  private loginFailures = 0;
  /** Set when the connection must end once the current command has been answered. */
  private closeAfterReply?: string;
  private timer?: NodeJS.Timeout;
  private readonly closeListeners: (() => void)[] = [];
  private readonly listeners = {
    data: (chunk: Buffer) => this.onData(chunk),
    error: (err: Error) => this.onSocketError(err),
    close: () => this.finish('closed by peer'),
  };

  constructor(
    readonly engine: EngineContext,
    socket: Socket,
    private readonly dispatcher: Dispatcher,
    private readonly limits: SessionLimits = DEFAULT_LIMITS,
  ) {
    this.socket = socket;
    this.remoteAddress = socket.remoteAddress;
    this.log = engine.logger.child({ cid: this.cid });
    this.logResponses = this.log.isEnabled('debug');
    this.framer = new CommandFramer({ maxLineBytes: engine.config.imapMaxLineBytes });
    this.writer = new ResponseWriter(socket, () => this.armTimer());
  }

  /** Greets the client and starts reading commands. */
  start(): void {
    this.log.info('connection opened', { ip: this.remoteAddress, port: (this.socket as Socket).remotePort });
    this.attach(this.socket);
    this.armTimer();
    this.busy = true;
    void this.run(async () => {
      await this.send(statusResponse('*', 'OK', 'Darwin Mail ready.', { name: 'CAPABILITY', args: this.capabilities().join(' ') }, this.logResponses));
      await this.writer.flush();
    }).finally(() => {
      this.busy = false;
      void this.pump();
    });
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  // ---- SessionApi -------------------------------------------------------------------------------

  capabilities(): string[] {
    const caps = ['IMAP4rev1', 'LITERAL+'];
    if (this.state === 'not-authenticated' && !this.plaintextLoginAllowed()) caps.push('LOGINDISABLED');
    return caps;
  }

  plaintextLoginAllowed(): boolean {
    return plaintextAllowed(this.engine.config, this.remoteAddress);
  }

  async send(response: CompiledResponse): Promise<void> {
    if (response.log !== undefined) this.log.debug('response', { line: response.log });
    await this.writer.write(response.chunks);
  }

  authenticate(account: MailboxAccount): void {
    this.account = account;
    this.state = 'authenticated';
    this.log.info('logged in', { user: account.address });
    this.armTimer();
  }

  loginFailed(): number {
    this.loginFailures++;
    if (this.loginFailures >= this.limits.maxLoginFailures) this.closeAfterReply = 'Too many failed logins.';
    return this.loginFailures;
  }

  select(folder: SelectedFolder): void {
    this.deselect();
    this.selected = folder;
    this.state = 'selected';
  }

  deselect(): void {
    this.selected?.close();
    this.selected = undefined;
    if (this.state === 'selected') this.state = 'authenticated';
  }

  logout(): void {
    this.deselect();
    this.state = 'logout';
  }

  /** Asks the client to go (server shutdown): at once when idle, else after the current command. */
  shutdown(reason = 'Server shutting down.'): void {
    if (this.closed) return;
    if (this.busy) {
      this.closeAfterReply = reason;
      return;
    }
    void this.run(() => this.bye(reason));
  }

  // ---- transport --------------------------------------------------------------------------------

  private attach(socket: Duplex): void {
    this.socket = socket;
    this.writer.setSocket(socket);
    socket.on('data', this.listeners.data);
    socket.on('error', this.listeners.error);
    socket.on('close', this.listeners.close);
  }

  private detach(): void {
    this.socket.off('data', this.listeners.data);
    this.socket.off('error', this.listeners.error);
    this.socket.off('close', this.listeners.close);
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.armTimer();
    this.framer.push(chunk);
    if (this.busy && this.framer.buffered() > this.limits.inputHighWater && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    void this.pump();
  }

  private onSocketError(err: Error): void {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ECONNRESET' || code === 'EPIPE') this.log.debug('connection reset', { code });
    else this.log.warn('socket error', { err });
    this.finish('socket error');
  }

  // ---- input loop -------------------------------------------------------------------------------

  /** Processes buffered commands one by one until input runs out; only one loop runs at a time. */
  private async pump(): Promise<void> {
    if (this.busy || this.closed) return;
    this.busy = true;
    try {
      await this.run(async () => {
        while (!this.closed) {
          const ev = this.framer.next();
          if (!ev) break;
          await this.handle(ev);
          await this.writer.flush();
          if (this.state === 'logout') {
            this.end();
            return;
          }
          if (this.closeAfterReply) {
            await this.bye(this.closeAfterReply);
            return;
          }
        }
      });
    } finally {
      this.busy = false;
      if (this.paused && !this.closed) {
        this.paused = false;
        this.socket.resume();
      }
    }
  }

  private async handle(ev: FramerEvent): Promise<void> {
    switch (ev.type) {
      case 'command': {
        const first = ev.frame.lines[0]!;
        if (ev.frame.lines.length === 1 && first.length === 0) return; // empty line: ignore
        if (this.commandsSeen++ === 0 && HTTP_REQUEST.test(first.subarray(0, 64).toString('latin1'))) {
          this.closeAfterReply = 'This is an IMAP server.';
          return;
        }
        this.count(await this.dispatcher.run(this, ev.frame));
        return;
      }
      case 'literal':
        return this.onLiteral(ev.request);
      case 'too-long': {
        const head = readHead(ev.head);
        const tag = head.error ? '*' : head.tag!;
        this.log.info('command line too long', { tag: head.tag?.slice(0, 32), command: head.name });
        await this.send(statusResponse(tag, 'BAD', `Command line too long (limit ${this.engine.config.imapMaxLineBytes} bytes).`, undefined, this.logResponses));
        this.count('BAD');
        return;
      }
    }
  }

  private async onLiteral(req: LiteralRequest): Promise<void> {
    const decision = this.dispatcher.literalDecision(this, req);
    if (decision.accept) {
      this.framer.accept();
      if (decision.reply) await this.send(decision.reply);
      return;
    }
    this.framer.reject();
    await this.send(decision.reply);
    if (decision.close) {
      await this.writer.flush();
      this.end();
      return;
    }
    this.count(decision.outcome);
  }

  private count(outcome: Outcome): void {
    if (outcome !== 'BAD') {
      this.badInARow = 0;
      return;
    }
    this.badInARow++;
    if (this.badInARow >= this.limits.maxBadCommands) this.closeAfterReply = 'Too many invalid commands.';
  }

  // ---- timeouts and the end ---------------------------------------------------------------------

  private armTimer(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    const ms = this.state === 'not-authenticated' ? this.engine.config.idleTimeoutPreAuth : this.engine.config.idleTimeoutAuthenticated;
    this.timer = setTimeout(() => this.onTimeout(ms), ms);
  }

  private onTimeout(ms: number): void {
    if (this.closed) return;
    if (this.writer.blockedFor() >= ms) {
      // The client stopped reading our output: nothing more can be said to it.
      this.log.info('client stopped reading; closing');
      this.finish('write timeout', true);
      return;
    }
    if (this.busy) {
      // A command is still running (not the client's idleness): look again later.
      this.armTimer();
      return;
    }
    this.log.info('idle timeout', { state: this.state });
    void this.run(() => this.bye('Autologout; idle for too long'));
  }

  private async bye(text: string): Promise<void> {
    if (this.closed) return;
    await this.send(statusResponse('*', 'BYE', text, undefined, this.logResponses));
    await this.writer.flush();
    this.end();
  }

  /** Runs a step of the session; whatever it throws ends the connection, never the process. */
  private async run(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (err) {
      if (err instanceof ConnectionClosedError) {
        this.finish('connection closed');
      } else if (err instanceof BrokenResponseError) {
        this.log.error('response broken off; closing the connection', { err });
        this.finish('broken response', true);
      } else {
        this.log.error('session failed', { err });
        this.finish('internal error', true);
      }
    }
  }

  /** Ends the connection after the output is flushed. */
  private end(): void {
    if (this.closed) return;
    const socket = this.socket;
    socket.end();
    // A client that never closes its side must not keep the socket (and server.close()) waiting.
    setTimeout(() => socket.destroy(), 5000).unref();
    this.finish('ended by server');
  }

  private finish(reason: string, destroy = false): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.deselect();
    this.state = 'logout';
    this.writer.close();
    this.detach();
    // Keep an error listener: a late ECONNRESET must not become an unhandled 'error' event.
    this.socket.on('error', () => {});
    if (destroy || !this.socket.writableEnded) this.socket.destroy();
    this.log.info('connection closed', { reason, user: this.account?.address, seconds: Math.round((Date.now() - this.startedAt) / 1000) });
    for (const l of this.closeListeners.splice(0)) l();
  }
}
