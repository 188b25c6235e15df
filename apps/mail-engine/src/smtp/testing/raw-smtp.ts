import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

/**
 * A raw SMTP client for transcripts of bad input: writes exact bytes, reads replies, can upgrade
 * the same socket to TLS (STARTTLS) and tells when the server closed the connection.
 */
export class RawSmtp {
  private buffer = '';
  private waiters: { test: (b: string) => number; resolve: (s: string) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  closed = false;
  private closedWaiters: (() => void)[] = [];

  private constructor(private socket: Socket | TLSSocket) {
    this.attach(socket);
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

  static open(port: number, opts: { tls?: boolean; ca?: string } = {}): Promise<RawSmtp> {
    return new Promise((resolve, reject) => {
      const s: Socket | TLSSocket = opts.tls
        ? tlsConnect({ port, host: '127.0.0.1', ca: opts.ca, servername: 'localhost', rejectUnauthorized: false }, () => resolve(new RawSmtp(s)))
        : netConnect(port, '127.0.0.1', () => resolve(new RawSmtp(s)));
      s.once('error', reject);
    });
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

  /** Everything up to and including the first line matching `re`. */
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

  /** One complete reply (all its lines). */
  reply(timeoutMs?: number): Promise<string> {
    return this.readUntil(/^\d{3} /, timeoutMs);
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  async command(line: string): Promise<string> {
    this.write(line + '\r\n');
    return this.reply();
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

  /** TLS handshake on the same connection (after a 220 to STARTTLS). */
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
