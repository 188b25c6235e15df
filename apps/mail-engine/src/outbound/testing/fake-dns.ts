import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';

/** Records of one name; flags answer with an error instead. */
export interface FakeRecords {
  readonly MX?: readonly { readonly preference: number; readonly exchange: string }[];
  readonly A?: readonly string[];
  readonly AAAA?: readonly string[];
  readonly TXT?: readonly string[];
  /** Answer NXDOMAIN (the name does not exist). */
  readonly nxdomain?: boolean;
  /** Answer SERVFAIL (a temporary failure). */
  readonly servfail?: boolean;
  /** Never answer (the client times out). */
  readonly drop?: boolean;
}

const TYPES: Record<number, 'A' | 'AAAA' | 'MX' | 'TXT'> = { 1: 'A', 28: 'AAAA', 15: 'MX', 16: 'TXT' };

/**
 * A tiny authoritative DNS server on UDP loopback for tests (node:dgram): A, AAAA, MX and TXT,
 * NXDOMAIN, SERVFAIL and silence. Names not in the zone are NXDOMAIN; names in it without records of
 * the asked type get an empty answer (NODATA).
 */
export class FakeDns {
  readonly queries: { name: string; type: string }[] = [];
  private readonly zone = new Map<string, FakeRecords>();

  private constructor(private readonly socket: Socket) {
    socket.on('message', (msg, rinfo) => this.answer(msg, rinfo));
  }

  static async start(zone: Record<string, FakeRecords> = {}): Promise<FakeDns> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => resolve());
    });
    const dns = new FakeDns(socket);
    for (const [name, records] of Object.entries(zone)) dns.set(name, records);
    return dns;
  }

  /** `127.0.0.1:port`, for DARWIN_DNS_SERVERS. */
  get server(): string {
    const a = this.socket.address();
    return `${a.address}:${a.port}`;
  }

  set(name: string, records: FakeRecords): void {
    this.zone.set(canonical(name), records);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private answer(msg: Buffer, rinfo: RemoteInfo): void {
    if (msg.length < 12) return;
    const id = msg.readUInt16BE(0);
    const flags = msg.readUInt16BE(2);
    let offset = 12;
    const labels: string[] = [];
    while (offset < msg.length && msg[offset] !== 0) {
      const len = msg[offset]!;
      labels.push(msg.subarray(offset + 1, offset + 1 + len).toString('latin1'));
      offset += 1 + len;
    }
    offset += 1;
    const qtype = msg.readUInt16BE(offset);
    const question = msg.subarray(12, offset + 4);
    const name = canonical(labels.join('.'));
    const type = TYPES[qtype];
    this.queries.push({ name, type: type ?? String(qtype) });
    const records = this.zone.get(name);
    if (records?.drop) return;
    let rcode = 0;
    const answers: Buffer[] = [];
    if (!records || records.nxdomain) rcode = 3;
    else if (records.servfail) rcode = 2;
    else if (type) {
      for (const rdata of rdataOf(records, type)) {
        const rr = Buffer.alloc(12);
        rr.writeUInt16BE(0xc00c, 0); // pointer to the question's name
        rr.writeUInt16BE(qtype, 2);
        rr.writeUInt16BE(1, 4); // IN
        rr.writeUInt32BE(60, 6);
        rr.writeUInt16BE(rdata.length, 10);
        answers.push(rr, rdata);
      }
    }
    const header = Buffer.alloc(12);
    header.writeUInt16BE(id, 0);
    // QR, opcode and RD copied, AA, RA, rcode.
    header.writeUInt16BE(0x8000 | (flags & 0x7900) | 0x0400 | 0x0080 | rcode, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length / 2, 6);
    this.socket.send(Buffer.concat([header, question, ...answers]), rinfo.port, rinfo.address);
  }
}

function canonical(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function encodeName(name: string): Buffer {
  const parts = canonical(name).split('.').filter(Boolean);
  return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'latin1')])), Buffer.from([0])]);
}

function rdataOf(r: FakeRecords, type: 'A' | 'AAAA' | 'MX' | 'TXT'): Buffer[] {
  switch (type) {
    case 'A':
      return (r.A ?? []).map((ip) => Buffer.from(ip.split('.').map(Number)));
    case 'AAAA':
      return (r.AAAA ?? []).map(ipv6Bytes);
    case 'MX':
      return (r.MX ?? []).map((mx) => {
        const pref = Buffer.alloc(2);
        pref.writeUInt16BE(mx.preference);
        return Buffer.concat([pref, encodeName(mx.exchange)]);
      });
    case 'TXT':
      return (r.TXT ?? []).map((txt) => {
        const bytes = Buffer.from(txt);
        const pieces: Buffer[] = [];
        for (let i = 0; i < bytes.length || i === 0; i += 255) {
          const piece = bytes.subarray(i, i + 255);
          pieces.push(Buffer.from([piece.length]), piece);
        }
        return Buffer.concat(pieces);
      });
  }
}

function ipv6Bytes(ip: string): Buffer {
  if (!isIPv6(ip)) throw new Error(`not an IPv6 address: ${ip}`);
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}
