import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

export interface LineClientOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Implicit TLS (SMTPS, IMAPS, POP3S), with any certificate. */
  readonly tls?: boolean;
  readonly ca?: string;
  /** Source address of a plain connection (another loopback address, 127.0.0.2, looks like another client). */
  readonly localAddress?: string;
}

/** The last line of an SMTP reply: a space after the code. */
const SMTP_REPLY_END = /^\d{3} /;

/**
 * A raw line-oriented TCP client for protocol transcripts: writes exact bytes, waits for a reply
 * that matches, can upgrade the same socket to TLS (STARTTLS) and tells when the server closed the
 * connection. Keeps everything received so assertions can look at exact bytes.
 */
export class LineClient {
  private buffer = '';
  private waiters: { test: (buf: string) => number; resolve: (s: string) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  private closedWaiters: (() => void)[] = [];
  closed = false;

  private constructor(private socket: Socket | TLSSocket) {
    this.attach(socket);
  }

  static open(port: number, opts: LineClientOptions = {}): Promise<LineClient> {
    const host = opts.host ?? '127.0.0.1';
    return new Promise((resolve, reject) => {
      const s: Socket | TLSSocket = opts.tls
        ? tlsConnect({ port, host, ca: opts.ca, servername: 'localhost', rejectUnauthorized: false }, () => resolve(new LineClient(s)))
        : netConnect({ port, host, localAddress: opts.localAddress }, () => resolve(new LineClient(s)));
      s.once('error', reject);
    });
  }

  private attach(socket: Socket | TLSSocket): void {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.buffer += d;
      this.flush();
    });
    socket.on('close', () => {
      if (socket !== this.socket) return;
      this.closed = true;
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(new Error(`connection closed; received so far: ${JSON.stringify(this.buffer)}`));
      }
      for (const f of this.closedWaiters.splice(0)) f();
    });
    socket.on('error', () => {});
  }

  private flush(): void {
    while (this.waiters.length > 0) {
      const w = this.waiters[0]!;
      const end = w.test(this.buffer);
      if (end < 0) return;
      this.waiters.shift();
      clearTimeout(w.timer);
      const out = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end);
      w.resolve(out);
    }
  }

  /** Resolves with everything up to and including the first line matching `re`. */
  readUntil(re: RegExp, timeoutMs = 10_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const test = (buf: string) => {
        let pos = 0;
        for (;;) {
          const nl = buf.indexOf('\r\n', pos);
          if (nl < 0) return -1;
          if (re.test(buf.slice(pos, nl))) return nl + 2;
          pos = nl + 2;
        }
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`timeout waiting for ${re}; received: ${JSON.stringify(this.buffer)}`));
      }, timeoutMs);
      this.waiters.push({ test, resolve, reject, timer });
      this.flush();
    });
  }

  /** One complete SMTP reply (all its lines). */
  reply(timeoutMs?: number): Promise<string> {
    return this.readUntil(SMTP_REPLY_END, timeoutMs);
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Sends a line and reads up to the line matching `until` (default: a whole SMTP reply). */
  async command(line: string, until: RegExp = SMTP_REPLY_END): Promise<string> {
    this.write(line + '\r\n');
    return this.readUntil(until);
  }

  /** Bytes received and not yet read by a reply. */
  get pending(): string {
    return this.buffer;
  }

  /** Resolves when the server has closed the connection (rejects after the timeout). */
  waitClosed(timeoutMs = 10_000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`connection still open; received: ${JSON.stringify(this.buffer)}`)), timeoutMs);
      this.closedWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** TLS handshake on the same connection (after the server agreed to STARTTLS). */
  async upgrade(): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    const secure = await new Promise<TLSSocket>((resolve, reject) => {
      const s = tlsConnect({ socket: plain as Socket, servername: 'localhost', rejectUnauthorized: false }, () => resolve(s));
      s.once('error', reject);
    });
    this.buffer = '';
    this.socket = secure;
    this.attach(secure);
  }

  close(): void {
    this.socket.destroy();
  }
}
