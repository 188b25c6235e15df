/**
 * Recently delivered and read message bytes, kept in process memory. Blobs never change (a blob
 * id names one content, and ids are never reused), so nothing has to be invalidated: the cache
 * only forgets by size, least recently used first. It plays the part the operating system's page
 * cache plays for Dovecot's maildir files: a client that fetches new mail right after it arrives,
 * or fetches a folder again, reads from memory instead of from the database.
 */
export class BlobCache {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  constructor(
    /** Total bytes kept; 0 disables the cache. */
    private readonly capacity: number,
    /** Larger blobs are never kept (they stream in chunks anyway). */
    private readonly maxEntry: number,
  ) {}

  get(blobId: string): Buffer | undefined {
    const hit = this.entries.get(blobId);
    if (hit) {
      // Move to the young end.
      this.entries.delete(blobId);
      this.entries.set(blobId, hit);
    }
    return hit;
  }

  set(blobId: string, data: Buffer): void {
    if (this.capacity === 0 || data.length > this.maxEntry || data.length > this.capacity) return;
    const old = this.entries.get(blobId);
    if (old) {
      this.entries.delete(blobId);
      this.bytes -= old.length;
    }
    this.entries.set(blobId, data);
    this.bytes += data.length;
    for (const [id, buf] of this.entries) {
      if (this.bytes <= this.capacity) break;
      this.entries.delete(id);
      this.bytes -= buf.length;
    }
  }

  get size(): number {
    return this.bytes;
  }
}
