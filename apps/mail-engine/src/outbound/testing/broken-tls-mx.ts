import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * An SMTP server that offers STARTTLS, says yes, then answers the TLS handshake with garbage; on
 * a session that does not ask for STARTTLS it takes the message in plaintext. Tests opportunistic
 * TLS: the client must fall back to a plaintext session rather than give up.
 */
export class BrokenTlsMx {
  readonly messages: { from: string; to: string[]; data: string }[] = [];
  starttlsAttempts = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<BrokenTlsMx> {
    let mx: BrokenTlsMx | undefined;
    const server = createServer((socket) => mx!.session(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    mx = new BrokenTlsMx(server, (server.address() as AddressInfo).port);
    return mx;
  }

  private session(socket: Socket): void {
    let buffer = '';
    let inData = false;
    let from = '';
    let to: string[] = [];
    socket.on('error', () => {});
    socket.write('220 broken.example ESMTP\r\n');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          this.messages.push({ from, to, data: buffer.slice(0, end + 2) });
          buffer = buffer.slice(end + 5);
          inData = false;
          socket.write('250 2.0.0 Ok: queued\r\n');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-broken.example\r\n250-STARTTLS\r\n250 8BITMIME\r\n');
        else if (verb === 'STAR') {
          this.starttlsAttempts++;
          socket.write('220 2.0.0 Ready to start TLS\r\n');
          // Not a TLS record: the client's handshake fails.
          setTimeout(() => socket.end('this is not TLS at all\r\n'), 10);
          return;
        } else if (verb === 'MAIL') {
          from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          to = [];
          socket.write('250 2.1.0 Ok\r\n');
        } else if (verb === 'RCPT') {
          to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          socket.write('250 2.1.5 Ok\r\n');
        } else if (verb === 'DATA') {
          inData = true;
          socket.write('354 End data with <CR><LF>.<CR><LF>\r\n');
        } else if (verb === 'QUIT') {
          socket.end('221 2.0.0 Bye\r\n');
          return;
        } else socket.write('250 Ok\r\n');
      }
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
