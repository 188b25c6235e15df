/**
 * Test helper: a raw-socket IMAP client that records exactly what the server sends and splits it
 * into responses, honouring literals (so message bodies with any content are handled).
 */
import net from 'node:net';

export interface RawResponse {
  /** The whole response, literal bytes and CRLF included. */
  readonly raw: Buffer;
  /** The response as latin1 text without its final CRLF (literal bytes included). */
  readonly text: string;
}

export class RawImapClient {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  readonly responses: RawResponse[] = [];
  private consumed = 0;
  private parsed = 0;
  ended = false;
  readonly closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buf = Buffer.concat([this.buf, chunk]);
      this.split();
      this.wake();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.ended = true;
        this.wake();
        resolve();
      });
    });
    socket.on('error', () => {});
  }

  static connect(port: number): Promise<RawImapClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RawImapClient(s)));
      s.once('error', reject);
    });
  }

  /** Connects, reads the greeting and logs in; throws unless LOGIN answers OK. */
  static async loggedIn(port: number, user: string, password: string): Promise<RawImapClient> {
    const c = await RawImapClient.connect(port);
    await c.next();
    const reply = await c.command('L', `LOGIN ${user} "${password}"`);
    if (!reply.at(-1)?.startsWith('L OK ')) throw new Error(`LOGIN ${user} failed: ${reply.join(' / ')}`);
    return c;
  }

  /** Bytes received so far, all of them. */
  received(): Buffer {
    return this.buf;
  }

  send(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** The next response (waits for it). */
  async next(timeoutMs = 5000): Promise<RawResponse> {
    await this.waitFor(() => this.responses.length > this.consumed, timeoutMs, 'a response');
    return this.responses[this.consumed++]!;
  }

  /** All responses up to and including the one starting with `tag ` (as text lines). */
  async until(tag: string, timeoutMs = 5000): Promise<string[]> {
    const out: string[] = [];
    for (;;) {
      const r = await this.next(timeoutMs);
      out.push(r.text);
      if (r.text.startsWith(`${tag} `)) return out;
    }
  }

  /** Sends `tag command` and returns the responses up to its tagged reply. */
  async command(tag: string, command: string, timeoutMs = 5000): Promise<string[]> {
    this.send(`${tag} ${command}\r\n`);
    return this.until(tag, timeoutMs);
  }

  /** Waits for the server to close the connection. */
  async waitClosed(timeoutMs = 5000): Promise<void> {
    await this.waitFor(() => this.ended, timeoutMs, 'the connection to close');
  }

  /** Responses received and not yet taken with next(). */
  pending(): RawResponse[] {
    return this.responses.slice(this.consumed);
  }

  close(): void {
    this.socket.destroy();
  }

  private split(): void {
    let offset = this.parsed;
    for (;;) {
      let pos = offset;
      let complete = false;
      for (;;) {
        const lf = this.buf.indexOf('\r\n', pos);
        if (lf < 0) break;
        const m = /\{(\d+)\}$/.exec(this.buf.subarray(pos, lf).toString('latin1'));
        if (!m) {
          pos = lf + 2;
          complete = true;
          break;
        }
        const after = lf + 2 + Number(m[1]);
        if (after > this.buf.length) break;
        pos = after;
      }
      if (!complete) return;
      const raw = this.buf.subarray(offset, pos);
      this.responses.push({ raw, text: raw.subarray(0, raw.length - 2).toString('latin1') });
      offset = pos;
      this.parsed = pos;
    }
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private async waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (this.ended && !cond()) throw new Error(`connection closed while waiting for ${what}; received: ${JSON.stringify(this.buf.toString('latin1').slice(-500))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; received: ${JSON.stringify(this.buf.toString('latin1').slice(-500))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}
