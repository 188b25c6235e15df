import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { newId, type Logger } from '@darwin/logger';
import { plaintextAllowed, type EngineContext } from '../engine-context.js';
import type { CommandSession, Pop3Transaction, Registry } from './commands/command.js';
import { Dispatcher } from './dispatcher.js';
import { ConnectionClosed } from './errors.js';
import { CLOSE_GRACE_MS, MAX_AUTH_FAILURES, MAX_COMMAND_LINE_OCTETS, MAX_QUEUED_LINES, MAX_SASL_LINE_OCTETS } from './limits.js';
import { LineReader, type LineEvent } from './line-reader.js';
import { Pop3State } from './state.js';

export const GREETING = '+OK Darwin Mail POP3 ready.';
const TIMEOUT_REPLY = '-ERR Disconnected for inactivity.\r\n';
const ABORT_REPLY = '-ERR [SYS/TEMP] Internal server error, closing connection.\r\n';
const SHUTDOWN_REPLY = '-ERR [SYS/TEMP] Server shutting down.\r\n';
/** Multi-line listings are written in pieces of about this size, each awaiting the socket. */
const LISTING_BATCH_CHARS = 16 * 1024;

/**
 * One POP3 connection: the state machine, the input queue, timeouts and the maildrop lock's life.
 * Lines are taken from the socket as they come (pipelining), queued, and handled strictly one after
 * another by the dispatcher; a long queue pauses the socket. STLS replaces the socket in place
 * (`startTls`): what the client sent in clear text after the command is thrown away, and the
 * session goes on over the TLS socket. A connection accepted by the implicit-TLS listener (POP3S)
 * is secure from the start.
 *
 * Ending: QUIT in TRANSACTION goes through UPDATE (see commands/quit.ts). Any other end (client
 * gone, inactivity, error, too many bad commands) skips UPDATE: nothing is deleted (RFC 1939
 * section 6) and the lock is released once the running command, if any, has finished.
 */
export class Pop3Session implements CommandSession {
  readonly log: Logger;
  readonly remoteAddress: string | undefined;
  /** Implicit TLS (POP3S), or after STLS. */
  secure: boolean;
  state: Pop3State = Pop3State.Authorization;
  pendingUser: string | undefined;
  transaction: Pop3Transaction | undefined;

  private socket!: Socket;
  private detach: (() => void) | undefined;
  private readonly reader = new LineReader(MAX_COMMAND_LINE_OCTETS);
  private readonly dispatcher: Dispatcher;
  private readonly queue: LineEvent[] = [];
  private wake: (() => void) | undefined;
  private paused = false;
  /** The client will send nothing more (FIN): finish the queue, then close. */
  private inputEnded = false;
  /** Take no more commands: QUIT, a fatal error, timeout, or the socket is gone. */
  private stopping = false;
  /** A command is running (its reply may be half written). */
  private busy = false;
  /** The running command waits for a line from the client (a SASL response): a clean point to say goodbye. */
  private awaitingInput = false;
  private replyStarted = false;
  private authFailures = 0;
  private lockReleased = false;
  private finished = false;

  constructor(
    readonly engine: EngineContext,
    socket: Socket,
    readonly commands: Registry,
  ) {
    this.remoteAddress = socket.remoteAddress;
    this.secure = (socket as Partial<TLSSocket>).encrypted === true;
    this.log = engine.logger.child({ cid: newId('pop3-'), proto: 'pop3' });
    this.dispatcher = new Dispatcher(commands);
    this.useSocket(socket);
  }

  /** Greets the client and serves it until the connection ends. Never rejects. */
  async run(): Promise<void> {
    this.log.info('connected', { ip: this.remoteAddress, tls: this.secure || undefined });
    try {
      await this.write(GREETING + '\r\n');
      for (let event = await this.next(); event; event = await this.next()) {
        this.busy = true;
        this.replyStarted = false;
        try {
          await this.dispatcher.dispatch(this, event);
        } finally {
          this.busy = false;
        }
      }
    } catch (err) {
      if (!(err instanceof ConnectionClosed)) {
        this.log.error('session failed', { err });
        this.socket.destroy();
      }
    } finally {
      await this.finish();
    }
  }

  /** Serves the session over `socket` from now on (the initial socket, or the TLS one after STLS). */
  useSocket(socket: Socket): void {
    this.detach?.();
    this.socket = socket;
    this.reader.reset();
    this.queue.length = 0;
    const onData = (chunk: Buffer) => this.received(chunk);
    const onEnd = () => {
      this.inputEnded = true;
      this.wakeUp();
    };
    const onClose = () => {
      this.stopping = true;
      this.wakeUp();
    };
    const onError = (err: Error) => this.log.debug('socket error', { err: err.message });
    const onTimeout = () => this.timedOut();
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onClose);
    socket.on('error', onError);
    socket.on('timeout', onTimeout);
    this.applyTimeout();
    this.detach = () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onClose);
      socket.off('error', onError);
      socket.off('timeout', onTimeout);
    };
  }

  // --- CommandSession -------------------------------------------------------------------------

  plaintextAllowed(): boolean {
    // A password inside TLS is not plaintext on the wire, whatever DARWIN_PLAINTEXT_AUTH says.
    return this.secure || plaintextAllowed(this.engine.config, this.remoteAddress);
  }

  async startTls(text: string): Promise<boolean> {
    const plain = this.socket;
    // RFC 2595 section 4 / CVE-2011-0411: nothing the client sent in clear text after STLS may be
    // taken as a command. Stop listening to the clear-text socket first (what it still delivers
    // before the TLS layer takes the connection over is dropped), then forget what was queued.
    this.detach?.();
    this.detach = undefined;
    plain.on('error', () => {});
    this.reader.reset();
    this.queue.length = 0;
    this.paused = false;
    this.replyStarted = true;
    // The TLS layer must not take over before "+OK" has left in clear text.
    await new Promise<void>((resolve, reject) => {
      if (plain.destroyed || !plain.writable) return reject(new ConnectionClosed());
      plain.write(`+OK ${text}\r\n`, (err) => (err ? reject(new ConnectionClosed()) : resolve()));
    });
    const tls = new TLSSocket(plain, { isServer: true, secureContext: this.engine.tls.secureContext });
    // Served from now on: a handshake that stalls meets the pre-login inactivity timeout, one that
    // fails closes the socket; either way the session ends without a word (there is no clean channel).
    this.useSocket(tls);
    const ok = await new Promise<boolean>((resolve) => {
      const settle = (value: boolean) => () => {
        tls.off('secure', onSecure);
        tls.off('close', onClose);
        resolve(value);
      };
      const onSecure = settle(true);
      const onClose = settle(false);
      tls.once('secure', onSecure);
      tls.once('close', onClose);
    });
    if (!ok) {
      this.log.info('TLS negotiation failed');
      this.stopping = true;
      tls.destroy();
      return false;
    }
    this.secure = true;
    // RFC 2595 section 4: the client forgets what it learnt before; so does the server.
    this.pendingUser = undefined;
    this.log.info('TLS started', { version: tls.getProtocol(), cipher: tls.getCipher()?.name });
    return true;
  }

  async continuation(challenge: string): Promise<string | undefined> {
    // Set before the challenge goes out, so the answer is measured against the SASL limit.
    this.reader.maxLineBytes = MAX_SASL_LINE_OCTETS;
    try {
      await this.write(`+ ${challenge}\r\n`);
      this.awaitingInput = true;
      const event = await this.next();
      if (!event) throw new ConnectionClosed();
      return event.kind === 'line' ? event.line : undefined;
    } finally {
      this.awaitingInput = false;
      this.reader.maxLineBytes = MAX_COMMAND_LINE_OCTETS;
    }
  }

  authFailed(): boolean {
    this.authFailures += 1;
    return this.authFailures >= MAX_AUTH_FAILURES;
  }

  beginTransaction(t: Pop3Transaction): void {
    this.transaction = t;
    this.state = Pop3State.Transaction;
    this.applyTimeout();
  }

  enterUpdate(): void {
    this.state = Pop3State.Update;
  }

  async releaseMaildrop(): Promise<void> {
    const t = this.transaction;
    if (!t || this.lockReleased) return;
    this.lockReleased = true;
    try {
      await t.lock.release();
    } catch (err) {
      this.log.warn('could not release the maildrop lock', { err });
    }
  }

  ok(text?: string): Promise<void> {
    return this.write(text ? `+OK ${text}\r\n` : '+OK\r\n');
  }

  err(text: string): Promise<void> {
    return this.write(`-ERR ${text}\r\n`);
  }

  async multiline(first: string, lines: Iterable<string>): Promise<void> {
    let out = first ? `+OK ${first}\r\n` : '+OK\r\n';
    for (const line of lines) {
      out += (line.startsWith('.') ? '.' : '') + line + '\r\n';
      if (out.length >= LISTING_BATCH_CHARS) {
        await this.write(out);
        out = '';
      }
    }
    await this.write(out + '.\r\n');
  }

  async write(data: Buffer | string | readonly (Buffer | string)[]): Promise<void> {
    const socket = this.socket;
    if (socket.destroyed || !socket.writable) throw new ConnectionClosed();
    this.replyStarted = true;
    if (typeof data === 'string' || Buffer.isBuffer(data)) {
      if (socket.write(data)) return;
    } else {
      // Corked, the pieces leave together in one writev (one system call, one TLS record run).
      socket.cork();
      for (const piece of data) if (piece.length > 0) socket.write(piece);
      socket.uncork();
      if (!socket.writableNeedDrain) return;
    }
    await new Promise<void>((resolve) => {
      const done = () => {
        socket.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      socket.on('drain', done);
      socket.on('close', done);
    });
    if (socket.destroyed) throw new ConnectionClosed();
  }

  end(): void {
    this.stopping = true;
    this.wakeUp();
  }

  abort(): void {
    this.stopping = true;
    if (this.replyStarted || this.socket.destroyed || !this.socket.writable) this.socket.destroy();
    else this.socket.end(ABORT_REPLY);
    this.wakeUp();
  }

  /**
   * The server is stopping: an idle session is told so and closed at once (no UPDATE); a running
   * command may finish, then the session ends.
   */
  shutdown(): void {
    if (this.stopping) return;
    this.stopping = true;
    if ((!this.busy || this.awaitingInput) && this.socket.writable) this.socket.end(SHUTDOWN_REPLY);
    this.wakeUp();
  }

  // --- input ----------------------------------------------------------------------------------

  private received(chunk: Buffer): void {
    if (this.stopping) return;
    for (const event of this.reader.push(chunk)) this.queue.push(event);
    if (this.queue.length > MAX_QUEUED_LINES && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    this.wakeUp();
  }

  /** The next line to handle, or undefined when the session is over. */
  private async next(): Promise<LineEvent | undefined> {
    while (!this.stopping) {
      const event = this.queue.shift();
      if (event) {
        if (this.paused && this.queue.length <= MAX_QUEUED_LINES / 2) {
          this.paused = false;
          this.socket.resume();
        }
        return event;
      }
      if (this.inputEnded) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    return undefined;
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  // --- timeouts and the end -------------------------------------------------------------------

  private applyTimeout(): void {
    const { config } = this.engine;
    this.socket.setTimeout(this.state === Pop3State.Authorization ? config.idleTimeoutPreAuth : config.pop3IdleTimeout);
  }

  /** No traffic either way for the state's timeout. RFC 1939 section 3: no UPDATE, nothing deleted. */
  private timedOut(): void {
    this.log.info('inactivity timeout', { state: this.state });
    this.stopping = true;
    // Mid-reply (a client that stopped reading a RETR), there is no clean place for an -ERR line;
    // waiting for a SASL response is one.
    if ((this.busy && !this.awaitingInput) || !this.socket.writable) this.socket.destroy();
    else this.socket.end(TIMEOUT_REPLY);
    this.wakeUp();
  }

  private async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.stopping = true;
    // Retrieved messages count as read even when the client never said QUIT (as in Dovecot).
    await this.transaction?.seen.flush();
    await this.releaseMaildrop();
    const socket = this.socket;
    if (!socket.destroyed) {
      socket.end();
      // The server allows half-open sockets (to answer commands sent before a client's FIN); make
      // sure a client that never closes its side does not keep the socket.
      setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
    }
    this.detach?.();
    socket.on('error', () => {}); // late errors of a socket we no longer serve
    this.log.info('disconnected', { state: this.state });
  }
}
