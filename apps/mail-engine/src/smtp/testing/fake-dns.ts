import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';

/** Record values: TXT strings, MX `{ priority, exchange }`, A/AAAA addresses. */
export type FakeRecord = string | { readonly priority: number; readonly exchange: string };

const TYPES: Record<number, string> = { 1: 'A', 15: 'MX', 16: 'TXT', 28: 'AAAA' };
const TYPE_CODES: Record<string, number> = { A: 1, MX: 15, TXT: 16, AAAA: 28 };

/**
 * A tiny authoritative DNS server on loopback (UDP and TCP on one port) for tests: it answers A,
 * AAAA, MX and TXT from a table, NXDOMAIN for unknown names, NODATA for known names without that
 * type, and nothing at all for names marked silent (to test timeouts). Point the engine at it
 * with DARWIN_DNS_SERVERS=127.0.0.1:<port>.
 */
export class FakeDns {
  private readonly records = new Map<string, Map<string, FakeRecord[]>>();
  private readonly silent = new Set<string>();
  readonly queries: { name: string; type: string }[] = [];
  private udp?: UdpSocket;
  private tcp?: Server;
  port = 0;

  set(name: string, type: 'A' | 'AAAA' | 'MX' | 'TXT', values: readonly FakeRecord[]): this {
    const n = name.toLowerCase().replace(/\.$/, '');
    if (!this.records.has(n)) this.records.set(n, new Map());
    this.records.get(n)!.set(type, [...values]);
    return this;
  }

  /** Queries for this name get no answer (the client times out). */
  silence(name: string): this {
    this.silent.add(name.toLowerCase());
    return this;
  }

  get server(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const udp = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(0, '127.0.0.1', () => resolve());
      });
      const port = udp.address().port;
      const tcp = createServer((s) => this.serveTcp(s));
      const ok = await new Promise<boolean>((resolve) => {
        tcp.once('error', () => resolve(false));
        tcp.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (!ok) {
        udp.close();
        continue;
      }
      udp.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
        const reply = this.answer(msg, 512);
        if (reply) udp.send(reply, rinfo.port, rinfo.address);
      });
      this.udp = udp;
      this.tcp = tcp;
      this.port = port;
      return this;
    }
    throw new Error('could not bind the fake DNS server');
  }

  async stop(): Promise<void> {
    this.udp?.close();
    await new Promise<void>((r) => (this.tcp ? this.tcp.close(() => r()) : r()));
  }

  private serveTcp(s: Socket): void {
    let buf = Buffer.alloc(0);
    s.on('error', () => {});
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) return;
        const reply = this.answer(buf.subarray(2, 2 + len), 65535);
        buf = buf.subarray(2 + len);
        if (reply) {
          const head = Buffer.alloc(2);
          head.writeUInt16BE(reply.length);
          s.write(Buffer.concat([head, reply]));
        }
      }
    });
  }

  /** Builds the response to one query, or undefined to stay silent. */
  private answer(query: Buffer, maxSize: number): Buffer | undefined {
    if (query.length < 12) return undefined;
    const id = query.readUInt16BE(0);
    const flags = query.readUInt16BE(2);
    let pos = 12;
    const labels: string[] = [];
    while (pos < query.length && query[pos] !== 0) {
      const len = query[pos]!;
      labels.push(query.subarray(pos + 1, pos + 1 + len).toString('latin1'));
      pos += len + 1;
    }
    pos++;
    const qtype = query.readUInt16BE(pos);
    const questionEnd = pos + 4;
    const name = labels.join('.').toLowerCase();
    const type = TYPES[qtype] ?? String(qtype);
    this.queries.push({ name, type });
    if (this.silent.has(name)) return undefined;

    const known = this.records.get(name);
    const values = known?.get(type) ?? [];
    const answers = values.map((v) => this.rr(type, v));
    const rcode = known ? 0 : 3;
    const header = Buffer.alloc(12);
    header.writeUInt16BE(id, 0);
    // QR, opcode and RD copied, AA, RA, rcode.
    header.writeUInt16BE(0x8000 | (flags & 0x7900) | 0x0400 | 0x0080 | rcode, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    const reply = Buffer.concat([header, query.subarray(12, questionEnd), ...answers]);
    if (reply.length <= maxSize) return reply;
    // Too large for UDP: truncated, the client retries over TCP.
    header.writeUInt16BE(header.readUInt16BE(2) | 0x0200, 2);
    header.writeUInt16BE(0, 6);
    return Buffer.concat([header, query.subarray(12, questionEnd)]);
  }

  private rr(type: string, value: FakeRecord): Buffer {
    let data: Buffer;
    if (type === 'A') data = Buffer.from(String(value).split('.').map(Number));
    else if (type === 'AAAA') data = ipv6Bytes(String(value));
    else if (type === 'MX') {
      const mx = value as { priority: number; exchange: string };
      const pref = Buffer.alloc(2);
      pref.writeUInt16BE(mx.priority);
      data = Buffer.concat([pref, encodeName(mx.exchange)]);
    } else {
      const text = Buffer.from(String(value));
      const parts: Buffer[] = [];
      for (let i = 0; i < text.length || i === 0; i += 255) {
        const piece = text.subarray(i, i + 255);
        parts.push(Buffer.from([piece.length]), piece);
      }
      data = Buffer.concat(parts);
    }
    const head = Buffer.alloc(12);
    head.writeUInt16BE(0xc00c, 0);
    head.writeUInt16BE(TYPE_CODES[type]!, 2);
    head.writeUInt16BE(1, 4);
    head.writeUInt32BE(60, 6);
    head.writeUInt16BE(data.length, 10);
    return Buffer.concat([head, data]);
  }
}

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
  return Buffer.concat([...parts, Buffer.from([0])]);
}

function ipv6Bytes(ip: string): Buffer {
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g || '0', 16), i * 2));
  return b;
}
