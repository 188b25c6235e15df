import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket } from 'node:net';

/** What one name answers: its records, or a failure instead of them. */
export interface FakeZoneEntry {
  readonly A?: readonly string[];
  readonly AAAA?: readonly string[];
  /** `{ priority: 0, exchange: '.' }` is a null MX (RFC 7505). */
  readonly MX?: readonly { readonly priority: number; readonly exchange: string }[];
  /** Each value is one record; longer than 255 bytes, it goes out as several character-strings. */
  readonly TXT?: readonly string[];
  readonly CNAME?: string;
  /** Answer NXDOMAIN or SERVFAIL instead, or never answer at all (the client times out). */
  readonly fail?: 'NXDOMAIN' | 'SERVFAIL' | 'TIMEOUT';
}

type RecordType = 'A' | 'AAAA' | 'MX' | 'TXT' | 'CNAME';
const TYPE_CODES: Record<RecordType, number> = { A: 1, CNAME: 5, MX: 15, TXT: 16, AAAA: 28 };
const TYPE_NAMES = new Map(Object.entries(TYPE_CODES).map(([name, code]) => [code, name as RecordType]));
const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 } as const;
/** The largest answer sent over UDP; a larger one is sent truncated, so the client asks again over TCP. */
const UDP_MAX = 512;

/**
 * A tiny authoritative DNS server on loopback for tests (UDP and TCP on one port, RFC 1035 wire
 * format). It answers A, AAAA, MX, TXT and CNAME questions from a zone the test may change as it
 * goes: NXDOMAIN for names not in the zone, an empty answer (NODATA) for names in it without records
 * of the asked type, and the failure of entries that have `fail`. Point the engine or the API at
 * it with DARWIN_DNS_SERVERS=`server`.
 */
export class FakeDns {
  /** Questions received, oldest first, as `TYPE name` (`MX example.com`). */
  readonly queries: string[] = [];
  private readonly zone = new Map<string, FakeZoneEntry>();

  private constructor(
    private readonly udp: UdpSocket,
    private readonly tcp: Server,
    /** The port of both listeners. */
    readonly port: number,
  ) {
    udp.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
      const reply = this.answer(msg, UDP_MAX);
      if (reply) udp.send(reply, rinfo.port, rinfo.address);
    });
    tcp.on('connection', (s) => this.serveTcp(s));
  }

  static async start(zone: Readonly<Record<string, FakeZoneEntry>> = {}): Promise<FakeDns> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const udp = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(0, '127.0.0.1', () => resolve());
      });
      const { port } = udp.address();
      // TCP on the port UDP got; another process may hold it, then both move to a new port.
      const tcp = createServer();
      const listening = await new Promise<boolean>((resolve) => {
        tcp.once('error', () => resolve(false));
        tcp.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (!listening) {
        udp.close();
        continue;
      }
      const dns = new FakeDns(udp, tcp, port);
      for (const [name, entry] of Object.entries(zone)) dns.set(name, entry);
      return dns;
    }
    throw new Error('could not bind the fake DNS server');
  }

  /** `127.0.0.1:<port>`, for DARWIN_DNS_SERVERS. */
  get server(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Sets (replaces) what `name` answers. */
  set(name: string, entry: FakeZoneEntry): this {
    entry.AAAA?.forEach(ipv6Bytes); // a bad address fails here, not later in the socket's handler
    this.zone.set(canonical(name), entry);
    return this;
  }

  get(name: string): FakeZoneEntry | undefined {
    return this.zone.get(canonical(name));
  }

  async close(): Promise<void> {
    await Promise.all([new Promise<void>((resolve) => this.udp.close(() => resolve())), new Promise<void>((resolve) => this.tcp.close(() => resolve()))]);
  }

  /** DNS over TCP: each message preceded by its length in two bytes. */
  private serveTcp(s: Socket): void {
    let buf = Buffer.alloc(0);
    s.on('error', () => {});
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) return;
        const reply = this.answer(buf.subarray(2, 2 + len), 0xffff);
        buf = buf.subarray(2 + len);
        if (reply) {
          const head = Buffer.alloc(2);
          head.writeUInt16BE(reply.length);
          s.write(Buffer.concat([head, reply]));
        }
      }
    });
  }

  /** The response to one query, or undefined to stay silent (malformed queries, `fail: 'TIMEOUT'`). */
  private answer(query: Buffer, maxSize: number): Buffer | undefined {
    const question = readQuestion(query);
    if (!question) return undefined;
    const { name, qtype, end } = question;
    const type = TYPE_NAMES.get(qtype);
    this.queries.push(`${type ?? qtype} ${name}`);
    const entry = this.zone.get(name);
    if (entry?.fail === 'TIMEOUT') return undefined;
    const rcode = !entry || entry.fail === 'NXDOMAIN' ? RCODE.NXDOMAIN : entry.fail === 'SERVFAIL' ? RCODE.SERVFAIL : RCODE.NOERROR;
    const answers = rcode === RCODE.NOERROR && type ? rdataOf(entry!, type).map((rdata) => resourceRecord(qtype, rdata)) : [];

    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.readUInt16BE(0), 0); // id
    // QR; opcode and RD copied; AA; RA; rcode.
    header.writeUInt16BE(0x8000 | (query.readUInt16BE(2) & 0x7900) | 0x0400 | 0x0080 | rcode, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    const questionBytes = query.subarray(12, end);
    const reply = Buffer.concat([header, questionBytes, ...answers]);
    if (reply.length <= maxSize) return reply;
    // Too large for UDP: truncated (TC) and without answers; the client asks again over TCP.
    header.writeUInt16BE(header.readUInt16BE(2) | 0x0200, 2);
    header.writeUInt16BE(0, 6);
    return Buffer.concat([header, questionBytes]);
  }
}

function canonical(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** The first question of a query: its name, type and where it ends; undefined when malformed. */
function readQuestion(query: Buffer): { name: string; qtype: number; end: number } | undefined {
  if (query.length < 12) return undefined;
  const labels: string[] = [];
  let pos = 12;
  for (;;) {
    const len = query[pos];
    if (len === undefined || (len & 0xc0) !== 0) return undefined; // truncated, or a compression pointer
    if (len === 0) break;
    labels.push(query.subarray(pos + 1, pos + 1 + len).toString('latin1'));
    pos += 1 + len;
  }
  const end = pos + 5; // the root label, QTYPE and QCLASS
  if (end > query.length) return undefined;
  return { name: canonical(labels.join('.')), qtype: query.readUInt16BE(pos + 1), end };
}

function resourceRecord(type: number, rdata: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0); // pointer to the question's name
  head.writeUInt16BE(type, 2);
  head.writeUInt16BE(1, 4); // IN
  head.writeUInt32BE(60, 6); // TTL
  head.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([head, rdata]);
}

function rdataOf(entry: FakeZoneEntry, type: RecordType): Buffer[] {
  switch (type) {
    case 'A':
      return (entry.A ?? []).map((ip) => Buffer.from(ip.split('.').map(Number)));
    case 'AAAA':
      return (entry.AAAA ?? []).map(ipv6Bytes);
    case 'MX':
      return (entry.MX ?? []).map((mx) => {
        const preference = Buffer.alloc(2);
        preference.writeUInt16BE(mx.priority);
        return Buffer.concat([preference, encodeName(mx.exchange)]);
      });
    case 'TXT':
      return (entry.TXT ?? []).map(characterStrings);
    case 'CNAME':
      return entry.CNAME ? [encodeName(entry.CNAME)] : [];
  }
}

/** A name in labels; `.` (the root, as in a null MX) is the single zero byte. */
function encodeName(name: string): Buffer {
  const labels = canonical(name).split('.').filter(Boolean).map((label) => Buffer.from(label));
  return Buffer.concat([...labels.map((label) => Buffer.concat([Buffer.from([label.length]), label])), Buffer.from([0])]);
}

/** TXT data: the text in character-strings of at most 255 bytes (one empty one for ''). */
function characterStrings(text: string): Buffer {
  const bytes = Buffer.from(text);
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length || i === 0; i += 255) {
    const piece = bytes.subarray(i, i + 255);
    parts.push(Buffer.from([piece.length]), piece);
  }
  return Buffer.concat(parts);
}

function ipv6Bytes(ip: string): Buffer {
  if (!isIPv6(ip)) throw new Error(`not an IPv6 address: ${ip}`);
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}
