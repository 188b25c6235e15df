import { createSocket, type Socket } from 'node:dgram';

/**
 * A tiny authoritative DNS responder over UDP (RFC 1035 wire format) for tests: answers MX, TXT,
 * CNAME and A questions from an in-memory zone that the test changes as it goes. Names not in the
 * zone get NXDOMAIN; names in it without records of the asked type get an empty NOERROR (NODATA).
 */
export interface ZoneEntry {
  MX?: { priority: number; exchange: string }[];
  /** Each record is one or more character-strings (each at most 255 bytes on the wire). */
  TXT?: string[];
  CNAME?: string;
  A?: string[];
}

const TYPES = { A: 1, CNAME: 5, MX: 15, TXT: 16 } as const;

export interface FakeDnsServer {
  /** `127.0.0.1:<port>`, for DARWIN_DNS_SERVERS. */
  readonly address: string;
  readonly zone: Map<string, ZoneEntry>;
  /** Questions received, as `TYPE name`. */
  readonly questions: string[];
  set(name: string, entry: ZoneEntry): void;
  close(): Promise<void>;
}

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([Buffer.byteLength(p)]), Buffer.from(p)])), Buffer.from([0])]);
}

function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let i = offset;
  for (;;) {
    const len = msg[i]!;
    if (len === 0) return { name: labels.join('.').toLowerCase(), end: i + 1 };
    if ((len & 0xc0) !== 0) throw new Error('compressed names in questions are not expected');
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('ascii'));
    i += 1 + len;
  }
}

function txtData(value: string): Buffer {
  const bytes = Buffer.from(value);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length || i === 0; i += 255) {
    const part = bytes.subarray(i, i + 255);
    chunks.push(Buffer.from([part.length]), part);
  }
  return Buffer.concat(chunks);
}

function rr(type: number, data: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0); // pointer to the question's name
  head.writeUInt16BE(type, 2);
  head.writeUInt16BE(1, 4); // IN
  head.writeUInt32BE(60, 6);
  head.writeUInt16BE(data.length, 10);
  return Buffer.concat([head, data]);
}

function answer(query: Buffer, zone: Map<string, ZoneEntry>, log: string[]): Buffer {
  const { name, end } = readName(query, 12);
  const qtype = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const entry = zone.get(name);
  const records: Buffer[] = [];
  if (entry) {
    if (qtype === TYPES.MX) for (const mx of entry.MX ?? []) records.push(rr(TYPES.MX, Buffer.concat([Buffer.from([mx.priority >> 8, mx.priority & 255]), encodeName(mx.exchange)])));
    if (qtype === TYPES.TXT) for (const t of entry.TXT ?? []) records.push(rr(TYPES.TXT, txtData(t)));
    if (qtype === TYPES.CNAME && entry.CNAME) records.push(rr(TYPES.CNAME, encodeName(entry.CNAME)));
    if (qtype === TYPES.A) for (const a of entry.A ?? []) records.push(rr(TYPES.A, Buffer.from(a.split('.').map(Number))));
  }
  log.push(`${Object.entries(TYPES).find(([, v]) => v === qtype)?.[0] ?? qtype} ${name}`);
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // id
  const rd = query[2]! & 0x01;
  header[2] = 0x84 | rd; // QR, AA, RD echoed
  header[3] = 0x80 | (entry ? 0 : 3); // RA, rcode NOERROR or NXDOMAIN
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  return Buffer.concat([header, question, ...records]);
}

export async function startFakeDnsServer(): Promise<FakeDnsServer> {
  const zone = new Map<string, ZoneEntry>();
  const questions: string[] = [];
  const socket: Socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    try {
      socket.send(answer(msg, zone, questions), rinfo.port, rinfo.address);
    } catch {
      // A malformed question gets no answer; the resolver times out, as with a broken server.
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  return {
    address: `127.0.0.1:${port}`,
    zone,
    questions,
    set: (name, entry) => zone.set(name.toLowerCase().replace(/\.$/, ''), entry),
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
