import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMessage {
  readonly from: string;
  readonly to: string[];
  readonly raw: Buffer;
  /** True when the session had been upgraded with STARTTLS. */
  readonly secure: boolean;
  readonly mailParams: Record<string, unknown>;
}

/** A scripted reply: `451 4.3.0 try later` (code, then text sent as is). */
export type Reply = string;

export interface FakeMxBehaviour {
  /** Reply for a recipient; undefined accepts it. */
  rcpt?(address: string, count: number): Reply | undefined;
  /** Reply at end of data; undefined accepts the message. Called after the bytes were read. */
  data?(message: ReceivedMessage, count: number): Reply | undefined;
  /** Resolves when the end-of-data reply may be sent (to hold a delivery open). */
  holdData?(): Promise<void>;
  /** Called when a DATA stream starts (before it is read). */
  dataStarted?(): void;
}

function replyError(reply: Reply): Error {
  const m = /^(\d{3}) (.*)$/.exec(reply);
  if (!m) throw new Error(`bad scripted reply ${reply}`);
  return Object.assign(new Error(m[2]), { responseCode: Number(m[1]) });
}

/**
 * A remote MX for tests: a second smtp-server on loopback (STARTTLS offered with smtp-server's
 * built-in self-signed certificate unless disabled) that records what it accepted and answers as
 * scripted. `active`/`maxActive` count simultaneous sessions in a transaction.
 */
export class FakeMx {
  readonly messages: ReceivedMessage[] = [];
  readonly rcpts: string[] = [];
  connections = 0;
  active = 0;
  maxActive = 0;
  behaviour: FakeMxBehaviour = {};
  private dataCount = 0;

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  /** `tls`: the certificate STARTTLS presents (default: smtp-server's own self-signed one). */
  static async start(opts: { starttls?: boolean; size?: number; tls?: { key: string; cert: string } } = {}): Promise<FakeMx> {
    let mx: FakeMx | undefined;
    const server = new SMTPServer({
      ...(opts.tls ?? {}),
      authOptional: true,
      disabledCommands: opts.starttls === false ? ['STARTTLS', 'AUTH'] : ['AUTH'],
      size: opts.size,
      logger: false,
      hideENHANCEDSTATUSCODES: true,
      onConnect(_session, cb) {
        mx!.connections++;
        cb();
      },
      onMailFrom(_address, session, cb) {
        mx!.begin(session.id);
        cb();
      },
      onClose(session) {
        mx!.closed.add(session.id);
        mx!.end(session.id);
      },
      onRcptTo(address, _session, cb) {
        mx!.rcpts.push(address.address);
        const reply = mx!.behaviour.rcpt?.(address.address, mx!.rcpts.length);
        cb(reply ? replyError(reply) : undefined);
      },
      onData(stream, session: SMTPServerSession, cb) {
        mx!.behaviour.dataStarted?.();
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          void (async () => {
            await mx!.behaviour.holdData?.();
            mx!.end(session.id);
            // Like an MTA that commits only when it can still answer: a client gone before the
            // reply has not delivered the message.
            if (mx!.closed.has(session.id)) {
              mx!.abandoned++;
              return cb(new Error('client gone'));
            }
            const message: ReceivedMessage = {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              raw: Buffer.concat(chunks),
              secure: session.secure,
              mailParams: session.envelope.mailFrom ? { ...session.envelope.mailFrom.args } : {},
            };
            const reply = mx!.behaviour.data?.(message, ++mx!.dataCount);
            if (reply) return cb(replyError(reply));
            mx!.messages.push(message);
            cb(null, 'Ok: queued');
          })();
        });
      },
    });
    server.on('error', () => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    mx = new FakeMx(server, (server.server.address() as AddressInfo).port);
    return mx;
  }

  private readonly inTransaction = new Set<string>();
  /** Ids of sessions whose connection has closed. */
  readonly closed = new Set<string>();
  /** Messages whose client disconnected before the end-of-data reply (not counted as delivered). */
  abandoned = 0;

  private begin(sessionId: string): void {
    if (this.inTransaction.has(sessionId)) return;
    this.inTransaction.add(sessionId);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
  }

  private end(sessionId: string): void {
    if (this.inTransaction.delete(sessionId)) this.active--;
  }

  reset(): void {
    this.inTransaction.clear();
    this.closed.clear();
    this.abandoned = 0;
    this.messages.length = 0;
    this.rcpts.length = 0;
    this.connections = 0;
    this.active = 0;
    this.maxActive = 0;
    this.dataCount = 0;
    this.behaviour = {};
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
