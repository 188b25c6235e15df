import { Readable } from 'node:stream';
import pg from 'pg';
import type { ByteRange } from '../types.js';

/**
 * A pool whose results come in binary format, for reading blob bytes: bytea arrives as the raw
 * bytes (a Buffer) instead of hex text, which halves the transfer and saves the encoding in the
 * server and the decoding here. Queries on it select only bytea and text columns.
 */
export function binaryPool(url: string, max: number, applicationName: string): pg.Pool {
  const types = {
    getTypeParser: (oid: number, format?: string) =>
      format === 'binary' ? (oid === 17 ? (v: Buffer) => v : (v: Buffer) => v.toString('utf8')) : pg.types.getTypeParser(oid, format as 'text'),
  };
  return new pg.Pool({ connectionString: url, max, application_name: applicationName, binary: true, types } as pg.PoolConfig);
}

/** Size of one blob_chunks row (every chunk but the last has exactly this size). */
export const CHUNK_BYTES = 256 * 1024;

/**
 * Streams a blob's chunks in order, fetching the next one only when the consumer asks for more,
 * so a 50 MB message costs one chunk of memory per reader, not 50 MB. With a byte range only the
 * chunks that hold it are read, and the first and last are cut in the database (`substring` on an
 * uncompressed, externally stored bytea reads only the slices it needs).
 */
export class BlobStream extends Readable {
  private seq: number;
  private readonly lastSeq: number;

  constructor(
    private readonly pool: pg.Pool,
    private readonly blobId: string,
    private readonly range?: ByteRange,
  ) {
    // One chunk ahead is enough: each chunk is already 256 KiB.
    super({ highWaterMark: 1 });
    this.seq = range ? Math.floor(range.start / CHUNK_BYTES) : 0;
    this.lastSeq = range ? (range.end > range.start ? Math.floor((range.end - 1) / CHUNK_BYTES) : -1) : Number.MAX_SAFE_INTEGER;
  }

  override _read(): void {
    if (this.seq > this.lastSeq) {
      this.push(null);
      return;
    }
    const base = this.seq * CHUNK_BYTES;
    const from = this.range ? Math.max(0, this.range.start - base) : 0;
    const to = this.range ? Math.min(CHUNK_BYTES, this.range.end - base) : CHUNK_BYTES;
    const whole = from === 0 && to === CHUNK_BYTES;
    // The pool may return results in binary format (see binaryPool): the bytes then travel as they
    // are, not hex-encoded by the server and decoded here.
    const query = whole
      ? this.pool.query<{ data: Buffer }>('SELECT data FROM blob_chunks WHERE blob_id = $1 AND seq = $2', [this.blobId, this.seq])
      : this.pool.query<{ data: Buffer }>('SELECT substring(data FROM $3 FOR $4) AS data FROM blob_chunks WHERE blob_id = $1 AND seq = $2', [
          this.blobId,
          this.seq,
          from + 1,
          to - from,
        ]);
    query
      .then(({ rows }) => {
        const row = rows[0];
        if (!row) {
          this.push(null);
          return;
        }
        this.seq += 1;
        this.push(row.data);
      })
      .catch((err: Error) => this.destroy(err));
  }
}
