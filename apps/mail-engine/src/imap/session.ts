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
import { TLSSocket } from 'node:tls';
import { newId, type Logger } from '@darwin/logger';
import { Spool, type MailboxAccount, type SpooledMessage } from '@darwin/mail-store';
import { plaintextAllowed, type EngineContext } from '../engine-context.js';
import type { CompiledResponse } from './protocol/compiler.js';
import { statusResponse } from './protocol/compiler.js';
import type { SessionApi, SessionState } from './commands/types.js';
import { deflateTransport } from './compress.js';
import type { ConnectionCounters } from './connection-counter.js';
import type { Dispatcher, Outcome } from './dispatcher.js';
import { BrokenResponseError, ConnectionClosedError } from './errors.js';
import { imapLimits, type ImapLimits } from './limits.js';
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

  readonly limits: ImapLimits;
  secure: boolean;
  compressed = false;
  readonly enabled = new Set<string>();
  private condstoreUsed = false;
  private socket: Duplex;
  /** The TCP (or implicit TLS) socket, kept to wrap it for STARTTLS and to read its address. */
  private readonly raw: Socket;
  private readonly framer: CommandFramer;
  private upgrade?: 'starttls' | 'compress';
  private idling = false;
  private inputWaiter?: () => void;
  /** APPEND literals being streamed, and finished ones not yet taken by the command. */
  private literalSpool?: { index: number; spool: Spool; failed?: Error };
  private readonly spooled = new Map<number, SpooledMessage>();
  private ipSlot?: string;
  private userSlot?: string;
  private readonly writer: ResponseWriter;
  private readonly startedAt = Date.now();
  private busy = false;
  private closed = false;
  private paused = false;
  private commandsSeen = 0;
  private badInARow = 0;
  private loginFailures = 0;
  /** Set when the connection must end once the current command has been answered. */
  private byeAfterReply?: string;
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
    private readonly sessionLimits: SessionLimits = DEFAULT_LIMITS,
    private readonly counters?: ConnectionCounters,
  ) {
    this.socket = socket;
    this.raw = socket;
    this.remoteAddress = socket.remoteAddress;
    // Implicit TLS (993): the engine's TLS listener hands over a decrypted TLSSocket.
    this.secure = (socket as Socket & { encrypted?: boolean }).encrypted === true;
    this.limits = imapLimits(engine.config);
    this.log = engine.logger.child({ cid: this.cid });
    this.logResponses = this.log.isEnabled('debug');
    this.framer = new CommandFramer({ maxLineBytes: engine.config.imapMaxLineBytes });
    this.writer = new ResponseWriter(socket, () => this.armTimer());
  }

  /** Greets the client and starts reading commands. */
  start(): void {
    this.log.info('connection opened', { ip: this.remoteAddress, port: this.raw.remotePort, tls: this.secure || undefined });
    this.attach(this.socket);
    this.armTimer();
    this.busy = true;
    const ip = (this.remoteAddress ?? '').replace(/^::ffff:/, '');
    if (this.counters && !this.counters.perIp.tryAcquire(ip)) {
      this.log.info('too many connections from this address', { ip });
      void this.run(() => this.bye('Too many connections from your address.'));
      return;
    }
    if (this.counters) this.ipSlot = ip;
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
    if (this.state === 'not-authenticated') {
      const caps = ['IMAP4rev1', 'SASL-IR', 'ID', 'ENABLE', 'IDLE', 'LITERAL+'];
      if (!this.secure) caps.push('STARTTLS');
      if (this.plaintextLoginAllowed()) caps.push('AUTH=PLAIN', 'AUTH=LOGIN');
      else caps.push('LOGINDISABLED');
      return caps;
    }
    const caps = [
      'IMAP4rev1',
      'SASL-IR',
      'ID',
      'ENABLE',
      'IDLE',
      'LITERAL+',
      'UNSELECT',
      'CHILDREN',
      'NAMESPACE',
      'UIDPLUS',
      'MOVE',
      'LIST-EXTENDED',
      'LIST-STATUS',
      'SPECIAL-USE',
      'CREATE-SPECIAL-USE',
      'ESEARCH',
      'CONDSTORE',
      'QRESYNC',
      'QUOTA',
      'QUOTA=RES-STORAGE',
      'QUOTA=RES-MESSAGE',
      `APPENDLIMIT=${this.appendLimit()}`,
      'UTF8=ACCEPT',
    ];
    if (!this.compressed) caps.push('COMPRESS=DEFLATE');
    return caps;
  }

  /** RFC 7889: the largest message APPEND accepts (the engine's limit and the plan's). */
  appendLimit(): number {
    const plan = this.account?.maxMessageBytes;
    return Math.min(this.engine.config.maxMessageBytes, plan && plan > 0 ? plan : Number.MAX_SAFE_INTEGER);
  }

  plaintextLoginAllowed(): boolean {
    return this.secure || plaintextAllowed(this.engine.config, this.remoteAddress);
  }

  get condstore(): boolean {
    return this.condstoreUsed || this.enabled.has('CONDSTORE') || this.enabled.has('QRESYNC');
  }

  useCondstore(): void {
    this.condstoreUsed = true;
  }

  enable(extension: string): boolean {
    if (this.enabled.has(extension)) return false;
    this.enabled.add(extension);
    return true;
  }

  async readLine(): Promise<Buffer | undefined> {
    for (;;) {
      if (this.closed) return undefined;
      const ev = this.framer.next();
      if (ev) {
        this.resumeInput();
        switch (ev.type) {
          case 'command':
            return ev.frame.lines[0]!;
          case 'literal':
            // Not a line a command waits for: refuse the literal, hand back what was read.
            this.framer.reject();
            return ev.request.line;
          case 'too-long':
            return ev.head;
          default:
            continue;
        }
      }
      await new Promise<void>((resolve) => {
        this.inputWaiter = resolve;
      });
    }
  }

  upgradeAfterReply(kind: 'starttls' | 'compress'): void {
    this.upgrade = kind;
  }

  closeAfterReply(text: string): void {
    this.byeAfterReply ??= text;
  }

  takeSpooled(index: number): SpooledMessage | undefined {
    const s = this.spooled.get(index);
    this.spooled.delete(index);
    return s;
  }

  setIdling(idling: boolean): void {
    this.idling = idling;
    this.armTimer();
  }

  async send(response: CompiledResponse): Promise<void> {
    if (response.log !== undefined) this.log.debug('response', { line: response.log });
    await this.writer.write(response.chunks);
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  authenticate(account: MailboxAccount): boolean {
    if (this.counters) {
      if (!this.counters.perUser.tryAcquire(account.id)) {
        this.log.info('too many connections for this user', { user: account.address });
        return false;
      }
      this.userSlot = account.id;
    }
    this.account = account;
    this.state = 'authenticated';
    this.log.info('logged in', { user: account.address });
    this.armTimer();
    return true;
  }

  loginFailed(): number {
    this.loginFailures++;
    if (this.loginFailures >= this.sessionLimits.maxLoginFailures) this.byeAfterReply = 'Too many failed logins.';
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
    if (this.busy && !this.idling) {
      this.byeAfterReply = reason;
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
    if (!this.idling) this.armTimer();
    this.framer.push(chunk);
    if (this.busy && this.framer.buffered() > this.sessionLimits.inputHighWater && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    const waiter = this.inputWaiter;
    this.inputWaiter = undefined;
    waiter?.();
    void this.pump();
  }

  private resumeInput(): void {
    if (this.paused && !this.closed && this.framer.buffered() <= this.sessionLimits.inputHighWater) {
      this.paused = false;
      this.socket.resume();
    }
  }

  /** STARTTLS / COMPRESS: after the tagged OK, the same session continues over a new transport. */
  private async applyUpgrade(kind: 'starttls' | 'compress'): Promise<void> {
    this.detach();
    if (kind === 'starttls') {
      // Anything the client pipelined after STARTTLS was sent in clear text: it is dropped.
      this.framer.reset();
      const tls = new TLSSocket(this.raw, { isServer: true, secureContext: this.engine.tls.secureContext });
      this.secure = true;
      this.attach(tls);
      this.log.info('TLS started');
      return;
    }
    this.compressed = true;
    this.attach(deflateTransport(this.socket));
    this.log.debug('compression started');
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
          if (this.byeAfterReply) {
            await this.bye(this.byeAfterReply);
            return;
          }
          if (this.upgrade) {
            const kind = this.upgrade;
            this.upgrade = undefined;
            await this.applyUpgrade(kind);
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

  /** Spools that no command took (the command was refused after its literal arrived). */
  private async disposeSpooled(): Promise<void> {
    for (const s of this.spooled.values()) await s.dispose().catch(() => {});
    this.spooled.clear();
  }

  private async handle(ev: FramerEvent): Promise<void> {
    switch (ev.type) {
      case 'command': {
        const first = ev.frame.lines[0]!;
        if (ev.frame.lines.length === 1 && first.length === 0) return; // empty line: ignore
        if (this.commandsSeen++ === 0 && HTTP_REQUEST.test(first.subarray(0, 64).toString('latin1'))) {
          this.byeAfterReply = 'This is an IMAP server.';
          return;
        }
        try {
          this.count(await this.dispatcher.run(this, ev.frame));
        } finally {
          await this.disposeSpooled();
        }
        return;
      }
      case 'literal':
        return this.onLiteral(ev.request);
      case 'literal-data': {
        const target = this.literalSpool;
        if (target && !target.failed) await target.spool.write(ev.data);
        return;
      }
      case 'literal-end': {
        const target = this.literalSpool;
        this.literalSpool = undefined;
        if (target) {
          const spooled = await target.spool.finish();
          this.spooled.set(ev.index, spooled);
        }
        return;
      }
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
    const decision = await this.dispatcher.literalDecision(this, req);
    if (decision.accept) {
      if (decision.stream) {
        this.literalSpool = { index: req.index, spool: new Spool({ maxBytes: req.size }) };
        this.framer.acceptStream();
      } else {
        this.framer.accept();
      }
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
    if (this.badInARow >= this.sessionLimits.maxBadCommands) this.byeAfterReply = 'Too many invalid commands.';
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
    if (this.busy && !this.idling) {
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
    const waiter = this.inputWaiter;
    this.inputWaiter = undefined;
    waiter?.();
    if (this.ipSlot !== undefined) this.counters?.perIp.release(this.ipSlot);
    if (this.userSlot !== undefined) this.counters?.perUser.release(this.userSlot);
    this.ipSlot = this.userSlot = undefined;
    void this.literalSpool?.spool.discard();
    this.literalSpool = undefined;
    void this.disposeSpooled();
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
