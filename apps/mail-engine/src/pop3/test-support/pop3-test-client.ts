import { connect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

const CRLF = Buffer.from('\r\n');
const TERMINATOR = Buffer.from('\r\n.\r\n');

/** Undoes POP3 byte-stuffing the way a client does: the first "." of a line starting with "." goes. */
export function unstuff(wire: Buffer): Buffer {
  return Buffer.from(wire.toString('latin1').replace(/(^|\r\n)\./g, '$1'), 'latin1');
}

/**
 * A raw-socket POP3 client for transcript tests: it sends exactly the bytes given and reads
 * responses byte-exact, so tests can assert every status line and every octet of a message.
 */
export class Pop3TestClient {
  private static readonly open = new Set<Pop3TestClient>();
  private buf = Buffer.alloc(0);
  private ended = false;
  private notify: (() => void) | undefined;
  private detach: (() => void) | undefined;
  private resolveClosed!: () => void;
  readonly closed: Promise<void>;

  private constructor(public socket: Socket) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.attach(socket);
    Pop3TestClient.open.add(this);
    void this.closed.then(() => Pop3TestClient.open.delete(this));
  }

  private attach(socket: Socket): void {
    this.detach?.();
    const onData = (chunk: Buffer) => {
      this.buf = Buffer.concat([this.buf, chunk]);
      this.notify?.();
    };
    const onClose = () => {
      this.ended = true;
      this.notify?.();
      this.resolveClosed();
    };
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('error', () => {});
    this.detach = () => {
      socket.off('data', onData);
      socket.off('close', onClose);
    };
    this.socket = socket;
  }

  /** Drops every client still connected (afterEach): a failed test must not keep a maildrop locked. */
  static destroyAll(): void {
    for (const c of Pop3TestClient.open) c.destroy();
  }

  static connect(port: number): Promise<Pop3TestClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new Pop3TestClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Connects over implicit TLS (POP3S), trusting `ca`. */
  static connectTls(port: number, ca: string): Promise<Pop3TestClient> {
    return new Promise((resolve, reject) => {
      const socket = tlsConnect({ port, host: '127.0.0.1', ca, servername: 'localhost' }, () => resolve(new Pop3TestClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Connects and checks the greeting; `ca` for implicit TLS. */
  static async greeted(port: number, ca?: string): Promise<Pop3TestClient> {
    const c = ca === undefined ? await Pop3TestClient.connect(port) : await Pop3TestClient.connectTls(port, ca);
    const greeting = await c.readLine();
    if (greeting !== '+OK Darwin Mail POP3 ready.') throw new Error(`unexpected greeting ${JSON.stringify(greeting)}`);
    return c;
  }

  /**
   * After the server's "+OK" to STLS: TLS on the same connection, trusting `ca`. Fails if the
   * server sent anything else in clear text after its "+OK".
   */
  async upgradeToTls(ca: string): Promise<TLSSocket> {
    if (this.buf.length > 0) throw new Error(`clear text after STLS: ${JSON.stringify(this.buf.toString())}`);
    const plain = this.socket;
    this.detach?.();
    const secure = await new Promise<TLSSocket>((resolve, reject) => {
      const s = tlsConnect({ socket: plain, ca, servername: 'localhost' }, () => resolve(s));
      s.once('error', reject);
    });
    this.attach(secure);
    return secure;
  }

  send(line: string): void {
    this.socket.write(line + '\r\n');
  }

  sendRaw(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Sends a line and returns the status line of the reply. */
  async command(line: string): Promise<string> {
    this.send(line);
    return this.readLine();
  }

  /** Sends a line; returns the status line and, after +OK, the un-stuffed body (without the terminator). */
  async multi(line: string): Promise<{ status: string; body: Buffer }> {
    this.send(line);
    const status = await this.readLine();
    if (!status.startsWith('+OK')) return { status, body: Buffer.alloc(0) };
    return { status, body: unstuff(await this.readBody()) };
  }

  async lines(line: string): Promise<{ status: string; lines: string[] }> {
    const { status, body } = await this.multi(line);
    const text = body.toString('utf8');
    return { status, lines: text === '' ? [] : text.replace(/\r\n$/, '').split('\r\n') };
  }

  async login(user: string, password: string): Promise<void> {
    const u = await this.command(`USER ${user}`);
    const p = await this.command(`PASS ${password}`);
    if (u !== '+OK' || p !== '+OK Logged in.') throw new Error(`login failed: ${u} / ${p}`);
  }

  /** The next CRLF-terminated line, without the CRLF. */
  async readLine(): Promise<string> {
    const at = await this.waitFor(() => this.buf.indexOf(CRLF));
    const line = this.buf.subarray(0, at).toString('utf8');
    this.buf = this.buf.subarray(at + 2);
    return line;
  }

  /** The wire bytes of a multi-line body after its status line, still stuffed, up to the terminator. */
  async readBody(): Promise<Buffer> {
    await this.waitFor(() => (this.buf.length >= 3 ? 0 : -1));
    if (this.buf.subarray(0, 3).toString() === '.\r\n') {
      this.buf = this.buf.subarray(3);
      return Buffer.alloc(0);
    }
    const at = await this.waitFor(() => this.buf.indexOf(TERMINATOR));
    const body = this.buf.subarray(0, at + 2);
    this.buf = this.buf.subarray(at + TERMINATOR.length);
    return body;
  }

  /** Everything the server still sends until it closes the connection. */
  async readToEnd(): Promise<string> {
    await this.closed;
    const rest = this.buf.toString('utf8');
    this.buf = Buffer.alloc(0);
    return rest;
  }

  /** Resolves once the server has closed the connection; fails after `ms`. */
  async expectClosed(ms = 5_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.closed, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('connection still open')), ms)))]);
    clearTimeout(timer);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private async waitFor(find: () => number, ms = 10_000): Promise<number> {
    const deadline = Date.now() + ms;
    for (;;) {
      const at = find();
      if (at >= 0) return at;
      if (this.ended) throw new Error(`connection closed; unread: ${JSON.stringify(this.buf.toString('utf8').slice(0, 200))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; unread: ${JSON.stringify(this.buf.toString('utf8').slice(0, 200))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.notify = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
