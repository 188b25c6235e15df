import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerOptions } from 'smtp-server';
import { SMTPConnection, type SMTPConnectionOptions } from 'smtp-server/lib/smtp-connection.js';
import { ChunkingParser } from './chunking-parser.js';
import type { GreetPause } from './greet-pause.js';
import { REPLIES, SmtpError } from './smtp-error.js';

/** What a connection needs to know beyond smtp-server's own options. */
export interface ConnectionPolicy {
  /** Whether AUTH may be offered and used now (after TLS, or plaintext where the config allows it). */
  authAllowed(conn: { readonly secure: boolean; readonly remoteAddress: string }): boolean;
  /** Error replies after which the session is closed with 421. */
  readonly maxErrors: number;
  /** Longest command line; a longer one is answered 500 and the session is closed. */
  readonly maxLineBytes: number;
  /** Total size limit for a BDAT transaction (the DATA limit is smtp-server's `size`). */
  readonly maxMessageBytes: number;
  /** The pause before the greeting (early talkers are refused). */
  readonly greeting: GreetPause;
}

const ENHANCED_PREFIX = /^[245]\.\d{1,3}\.\d{1,3} /;

/** One BDAT transaction in progress: the message stream handed to onData and its outcome. */
interface BdatTransaction {
  readonly stream: SMTPServerDataStream;
  readonly result: Promise<{ err?: Error | null; message?: unknown }>;
  bytes: number;
  /** Set once a chunk failed: every later chunk of the transaction is consumed and gets this reply. */
  failed?: SmtpError;
  finished: boolean;
}

/**
 * The SMTP listeners' server class: smtp-server with our connection class. smtp-server builds one
 * SMTPConnection per socket in `connect`; overriding that one method lets us extend the connection
 * by subclassing rather than patching the library's prototype (which would also change every other
 * SMTPServer in the process, e.g. a test's fake remote MX) or forking it.
 */
export class DarwinSmtpServer extends SMTPServer {
  constructor(
    options: SMTPServerOptions,
    readonly policy: ConnectionPolicy,
  ) {
    super(options);
  }

  override connect(socket: Socket | TLSSocket, socketOptions?: SMTPConnectionOptions | null): void {
    const connection = new DarwinSmtpConnection(this, socket, socketOptions);
    this.connections.add(connection);
    connection.on('error', (err: Error) => this._onError(err));
    connection.on('connect', (data) => this._onClientConnect(data));
    connection.init();
  }
}

/**
 * smtp-server's connection with what it lacks:
 * - CHUNKING (RFC 3030 BDAT). The library dispatches each command to a `handler_<VERB>` method and
 *   has no BDAT (its source says BINARYMIME is unsupported for that reason), so BDAT is one more
 *   handler plus a parser mode that counts octets (chunking-parser.ts). The chunks feed the same
 *   stream and the same onData callback as DATA, so storage does not know which one was used.
 * - Replies whose text starts with an RFC 3463 code (our SmtpError) keep it; the library would
 *   otherwise derive a generic one from the reply code (554 -> 5.6.0 for a relay refusal).
 * - An error limit (Postfix smtpd_hard_error_limit): too many error replies -> 421 and close.
 * - An over-long command line is answered `500 5.5.2 Line too long` (RFC 5321 4.5.3.1.4) before the
 *   session is closed; the library would answer 421 with no enhanced code.
 * - AUTH offered and accepted only when the policy allows it (TLS, or plaintext from loopback).
 * - The pause before the greeting comes from the policy (greet-pause.ts) instead of the library's
 *   fixed 100 ms for every connection.
 */
export class DarwinSmtpConnection extends SMTPConnection {
  private errors = 0;
  private ehloPending = false;
  private bdat: BdatTransaction | undefined;

  private get policy(): ConnectionPolicy {
    return (this._server as DarwinSmtpServer).policy;
  }

  /** smtp-server's init with our pause; the library refuses anything the client sends before `_ready`. */
  override init(): void {
    this._setListeners(() => {
      const max = this._server.options.maxClients;
      if (max && this._server.connections.size > max) {
        this.send(421, `${this.name} Too many connected clients, try again in a moment`, false);
        return;
      }
      const pause = this.policy.greeting.pauseFor(this.remoteAddress);
      if (pause <= 0) {
        this.connectionReady();
        return;
      }
      setTimeout(() => {
        if (this._closing || this._closed) return;
        this.policy.greeting.pass(this.remoteAddress);
        this.connectionReady();
      }, pause).unref();
    });
  }

  override send(code: number, data?: string | string[] | null, context?: string | false): void {
    if (this.ehloPending && code === 250 && Array.isArray(data)) {
      this.ehloPending = false;
      data = this.ehloFeatures(data);
    }
    if (typeof data === 'string' && ENHANCED_PREFIX.test(data)) context = false;
    super.send(code, data, context);
    if (code >= 400 && code !== 421 && this._ready && !this._closing) {
      this.errors++;
      if (this.errors >= this.policy.maxErrors) {
        const e = REPLIES.tooManyErrors();
        super.send(e.responseCode, e.message, false);
      }
    }
  }

  /** Adds CHUNKING and hides AUTH where the policy refuses it. */
  private ehloFeatures(lines: string[]): string[] {
    const out = lines.filter((l) => !(l.startsWith('AUTH ') && !this.policy.authAllowed(this)));
    const size = out.findIndex((l) => l.startsWith('SIZE'));
    out.splice(size >= 0 ? size : out.length, 0, 'CHUNKING');
    return out;
  }

  override handler_EHLO(command: Buffer, callback: () => void): void {
    this.ehloPending = true;
    super.handler_EHLO(command, callback);
    this.ehloPending = false;
  }

  override handler_AUTH(command: Buffer, callback: () => void): void {
    if (!this.session.user && !this.policy.authAllowed(this)) {
      const e = REPLIES.encryptionRequired();
      this.send(e.responseCode, e.message);
      callback();
      return;
    }
    super.handler_AUTH(command, callback);
  }

  override handler_DATA(command: Buffer, callback: () => void): void {
    if (this.bdat) {
      const e = REPLIES.dataAfterBdat();
      this.send(e.responseCode, e.message);
      callback();
      return;
    }
    super.handler_DATA(command, callback);
  }

  override _createParser(): ChunkingParser {
    const parser = new ChunkingParser({ maxCommandLength: this._server.options.maxCommandLength });
    parser.oncommand = (command: Buffer, callback?: () => void) => this._onCommand(command, callback);
    parser.on('error', (err: Error) => {
      if (/too long/i.test(err.message)) {
        const e = REPLIES.lineTooLong();
        this.send(e.responseCode, e.message);
        this.close();
      } else {
        this.send(421, `4.4.2 Error: ${err.message}`);
      }
    });
    return parser;
  }

  /** RSET, EHLO, STARTTLS and the end of a transaction: a BDAT message not finished is dropped. */
  override _resetSession(): void {
    const t = this.bdat;
    if (t && !t.finished) {
      t.finished = true;
      t.stream.destroy(new Error('BDAT transaction aborted'));
    }
    this.bdat = undefined;
    super._resetSession();
  }

  override _onClose(): void {
    const t = this.bdat;
    if (t && !t.finished) {
      t.finished = true;
      t.stream.destroy(new Error('connection closed during a BDAT transaction'));
    }
    super._onClose();
  }

  /**
   * BDAT <size> [LAST]. The octets that follow are always consumed, even when the command is
   * refused, so that none of them can be read as commands. Each chunk is answered once it has
   * arrived; the LAST one once the message is stored (or refused), like the end of DATA.
   */
  handler_BDAT(command: Buffer, callback: () => void): void {
    const parser = this._parser as ChunkingParser | false;
    const m = /^BDAT[ \t]+(\d{1,15})(?:[ \t]+(LAST))?[ \t]*$/i.exec(command.toString('latin1'));
    if (!m || !parser) {
      // Without a valid size the chunk's end is unknown: what follows cannot be trusted as commands.
      const e = REPLIES.bdatSyntax();
      this.send(e.responseCode, e.message);
      this.close();
      callback();
      return;
    }
    const size = Number(m[1]);
    const last = m[2] !== undefined;

    let refusal: SmtpError | undefined;
    if (!this.session.envelope.mailFrom) refusal = REPLIES.needMail();
    else if (this.session.envelope.rcptTo.length === 0) refusal = REPLIES.needRcpt();
    const t = refusal ? undefined : (this.bdat ?? this.startBdat());
    if (t && !t.failed && t.bytes + size > this.policy.maxMessageBytes) {
      // Too big: the rest of the transaction is read and thrown away; what was spooled is dropped now.
      t.failed = REPLIES.tooBig(this.policy.maxMessageBytes);
      t.stream.sizeExceeded = true;
      t.stream.destroy(new Error('message over the size limit'));
    }
    if (t) t.bytes += size;
    const sink = refusal || !t || t.failed ? undefined : t.stream;

    /** Answers the chunk; `resume` lets the parser go on with what the client sent next. */
    const finish = (resume: () => void) => {
      if (refusal) {
        this.send(refusal.responseCode, refusal.message);
        resume();
      } else if (t && t.failed) {
        this.send(t.failed.responseCode, t.failed.message);
        if (last) this.endBdat();
        resume();
      } else if (!last) {
        this.send(250, `2.0.0 ${size} octets received`);
        resume();
      } else {
        this.completeBdat(t!, resume);
      }
    };

    if (size === 0) {
      // No octets follow: the command is answered (BDAT 0 LAST: once stored) before the next is read.
      finish(callback);
      return;
    }
    parser.startChunk(size, {
      data: (bytes, next) => {
        if (!sink || sink.destroyed || sink.writableEnded) {
          next();
          return;
        }
        if (sink.write(bytes)) next();
        else {
          const go = () => {
            sink.off('drain', go);
            sink.off('close', go);
            next();
          };
          sink.once('drain', go);
          sink.once('close', go);
        }
      },
      end: () => finish(() => parser.continue()),
    });
    callback();
  }

  private startBdat(): BdatTransaction {
    const stream = new PassThrough() as unknown as SMTPServerDataStream;
    stream.byteLength = 0;
    stream.sizeExceeded = false;
    const result = new Promise<{ err?: Error | null; message?: unknown }>((resolve) => {
      this._server.onData(stream, this.session, (err, message) => resolve({ err, message }));
    });
    this.bdat = { stream, result, bytes: 0, finished: false };
    return this.bdat;
  }

  private completeBdat(t: BdatTransaction, resume: () => void): void {
    t.stream.byteLength = t.bytes;
    t.stream.end();
    // While the message is being stored the client waits for us: no idle timeout (see _onTimeout).
    this._dataStream = t.stream;
    void t.result.then(({ err, message }) => {
      this._dataStream = false;
      if (this._closed) return;
      if (err) this.send((err as SmtpError).responseCode || 451, err.message);
      else this.send(250, typeof message === 'string' ? message : '2.0.0 Ok');
      this.endBdat();
      resume();
    });
  }

  /** The BDAT transaction is over (stored, refused or failed): back to the state after HELO. */
  private endBdat(): void {
    if (this.bdat) this.bdat.finished = true;
    this._transactionCounter++;
    this._unrecognizedCommands = 0;
    this._resetSession();
  }
}
