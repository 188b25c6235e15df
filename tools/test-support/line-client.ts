import { connect, type Socket } from 'node:net';

/**
 * A raw line-oriented TCP client for protocol transcripts: send bytes, wait for a reply that
 * matches. Keeps everything received so assertions can look at exact bytes.
 */
export class LineClient {
  private buffer = '';
  private waiters: { test: (buf: string) => number; resolve: (s: string) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  closed = false;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.buffer += d;
      this.flush();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(new Error(`connection closed; received so far: ${JSON.stringify(this.buffer)}`));
      }
    });
    socket.on('error', () => {});
  }

  static open(port: number, host = '127.0.0.1'): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const s = connect(port, host, () => resolve(new LineClient(s)));
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

  /** An SMTP reply: lines until one with a space after the code. */
  readSmtpReply(): Promise<string> {
    return this.readUntil(/^\d{3} /);
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  async command(line: string, until: RegExp = /^\d{3} /): Promise<string> {
    this.write(line + '\r\n');
    return this.readUntil(until);
  }

  close(): void {
    this.socket.destroy();
  }
}
