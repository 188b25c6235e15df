import { Readable } from 'node:stream';
import type pg from 'pg';

/**
 * Streams a blob's chunks in order, fetching the next one only when the consumer asks for more,
 * so a 50 MB message costs one chunk of memory per reader, not 50 MB.
 */
export class BlobStream extends Readable {
  private seq = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly blobId: string,
  ) {
    // One chunk ahead is enough: each chunk is already 256 KiB.
    super({ highWaterMark: 1 });
  }

  override _read(): void {
    this.pool
      .query<{ data: Buffer }>('SELECT data FROM blob_chunks WHERE blob_id = $1 AND seq = $2', [this.blobId, this.seq])
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
