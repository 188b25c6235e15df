import type { QuotaUsage } from '@darwin/core';
import type { Logger } from '@darwin/logger';
import { Readable } from 'node:stream';
import pg from 'pg';
import type { MailStore } from '../mail-store.js';
import type { SearchHit, SearchKey } from '../search-query.js';
import type {
  MaildropEntry,
  AcceptRequest,
  ByteRange,
  CopyResult,
  CreateFolderResult,
  ExpungedSince,
  FolderSnapshot,
  ListOptions,
  RenameFolderResult,
  StoreFlagsOptions,
  StoreFlagsResult,
  AcceptResult,
  DeliveryOptions,
  DeliveryOutcome,
  DeliveryTarget,
  ExpungeOptions,
  FlagMode,
  FlagUpdate,
  FolderChange,
  FolderInfo,
  FolderStatus,
  RecentClaim,
  HostedDomain,
  MailboxAccount,
  MaildropLock,
  MessageSummary,
  SpooledMessage,
  UidRange,
} from '../types.js';
import { findAccountBy } from './accounts.js';
import { BlobStream, binaryPool, CHUNK_BYTES } from './blob-stream.js';
import { accept, canonicalFolderName } from './deliver.js';
import { MaildropLocks } from './maildrop-lock.js';
import { SummaryCache } from './summary-cache.js';
import { listMaildrop } from './maildrop-listing.js';
import { copyMessages, moveMessages } from './copy-move.js';
import { createFolder, deleteFolder, renameFolder, setSubscribed } from './folders.js';
import { claimRecent, expunge, folderSnapshot, folderStatus, listChangedSince, listExpungedSince, listMessages, pruneExpunged, listUids, readBlobs, storeFlags, updateFlags } from './messages.js';
import { search } from './search.js';
import { indexPendingBodyText } from './body-text.js';
import { BlobCache } from './blob-cache.js';
import { FolderNotifier } from './notifier.js';
import { FOLDER_COLUMNS, toFolder, type FolderRow } from './rows.js';

export interface PgMailStoreOptions {
  readonly url: string;
  readonly poolSize?: number;
  readonly applicationName?: string;
  readonly logger?: Logger;
  /** Bytes of recently delivered and read messages kept in memory (default 256 MiB; 0 turns it off). */
  readonly blobCacheBytes?: number;
  /** Bytes of message summaries of recently used folders (default 64 MiB; 0 turns it off). See SummaryCache. */
  readonly summaryCacheBytes?: number;
  /** Pooled connections for POP3 maildrop locks (one per open POP3 session; more sessions get their own). */
  readonly maildropLockConnections?: number;
}

/** The Postgres message store. See MailStore for the contract of each method. */
export class PgMailStore implements MailStore {
  readonly pool: pg.Pool;
  /** Results in binary format, for blob bytes (created on first use). */
  private blobPool?: pg.Pool;
  private readonly notifier: FolderNotifier;
  private readonly cache: BlobCache;
  private readonly summaries: SummaryCache;
  private readonly locks: MaildropLocks;

  constructor(private readonly opts: PgMailStoreOptions) {
    this.cache = new BlobCache(opts.blobCacheBytes ?? 256 * 1024 * 1024, CHUNK_BYTES);
    this.locks = new MaildropLocks(opts.url, opts.maildropLockConnections ?? 50);
    this.pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10, application_name: opts.applicationName ?? 'darwin-store' });
    // An idle client that loses its server must not crash the process; the next query reconnects.
    this.pool.on('error', (err) => opts.logger?.warn('idle database connection lost', { err }));
    this.notifier = new FolderNotifier(opts.url, opts.logger);
    this.summaries = new SummaryCache(this.pool, opts.summaryCacheBytes ?? 64 * 1024 * 1024);
  }

  findAccount(address: string): Promise<MailboxAccount | undefined> {
    return findAccountBy(this.pool, 'address', address.toLowerCase());
  }

  getAccount(mailboxId: string): Promise<MailboxAccount | undefined> {
    return findAccountBy(this.pool, 'id', mailboxId);
  }

  async findDomain(name: string): Promise<HostedDomain | undefined> {
    const { rows } = await this.pool.query<{ id: string; tenant_id: string; name: string; active: boolean }>(
      `SELECT d.id, d.tenant_id, d.name, d.status = 'active' AND t.status = 'active' AS active
         FROM domains d JOIN tenants t ON t.id = d.tenant_id WHERE d.name = $1`,
      [name.toLowerCase()],
    );
    const r = rows[0];
    return r ? { id: r.id, tenantId: r.tenant_id, name: r.name, active: r.active } : undefined;
  }

  async touchLogin(mailboxId: string): Promise<void> {
    await this.pool.query('UPDATE mailboxes SET last_login_at = now() WHERE id = $1', [mailboxId]);
  }

  async deliver(message: SpooledMessage, targets: readonly DeliveryTarget[], opts?: DeliveryOptions): Promise<DeliveryOutcome[]> {
    return (await this.accept(message, { targets }, opts)).local;
  }

  async accept(message: SpooledMessage, request: AcceptRequest, opts?: DeliveryOptions): Promise<AcceptResult> {
    const result = await accept(this.pool, message, request, opts);
    // New mail is usually read soon (IDLE clients, POP3 polls): keep small messages at hand.
    const stored = result.local.find((o) => o.status === 'stored');
    if (stored && stored.status === 'stored' && message.size <= CHUNK_BYTES) {
      for await (const chunk of message.chunks(CHUNK_BYTES)) this.cache.set(stored.blobId, chunk);
    }
    return result;
  }

  async listFolders(mailboxId: string): Promise<FolderInfo[]> {
    const { rows } = await this.pool.query<FolderRow>(`SELECT ${FOLDER_COLUMNS} FROM folders WHERE mailbox_id = $1 ORDER BY name`, [mailboxId]);
    return rows.map(toFolder);
  }

  async getFolder(mailboxId: string, name: string): Promise<FolderInfo | undefined> {
    const { rows } = await this.pool.query<FolderRow>(`SELECT ${FOLDER_COLUMNS} FROM folders WHERE mailbox_id = $1 AND name = $2`, [
      mailboxId,
      canonicalFolderName(name),
    ]);
    return rows[0] ? toFolder(rows[0]) : undefined;
  }

  async folderStatus(folderId: string): Promise<FolderStatus> {
    return (this.summaries.enabled && (await this.summaries.status(folderId))) || folderStatus(this.pool, folderId);
  }

  claimRecent(folderId: string): Promise<RecentClaim> {
    return claimRecent(this.pool, folderId);
  }

  listMaildrop(folderId: string): Promise<MaildropEntry[]> {
    return listMaildrop(this.pool, folderId);
  }

  async listMessages(folderId: string, range?: UidRange, opts?: ListOptions): Promise<MessageSummary[]> {
    // Summaries (and the rendered ENVELOPE) come from the cache, kept as fresh as a query; the MIME structure does not.
    if (!opts?.structure && this.summaries.enabled) {
      const cached = await this.summaries.list(folderId, range ?? {}, opts?.envelope === true);
      if (cached) return cached;
    }
    return listMessages(this.pool, folderId, range, opts);
  }

  listUids(folderId: string): Promise<number[]> {
    return listUids(this.pool, folderId);
  }

  async folderSnapshot(folderId: string): Promise<FolderSnapshot> {
    return (this.summaries.enabled && (await this.summaries.snapshot(folderId))) || folderSnapshot(this.pool, folderId);
  }

  listChangedSince(folderId: string, sinceModseq: number): Promise<MessageSummary[]> {
    return listChangedSince(this.pool, folderId, sinceModseq);
  }

  listExpungedSince(folderId: string, sinceModseq: number): Promise<ExpungedSince> {
    return listExpungedSince(this.pool, folderId, sinceModseq);
  }

  pruneExpunged(olderThan: Date): Promise<number> {
    return pruneExpunged(this.pool, olderThan);
  }

  openBlob(blobId: string, range?: ByteRange): Readable {
    const cached = this.cache.get(blobId);
    if (cached) return Readable.from(range ? [cached.subarray(range.start, Math.max(range.start, range.end))] : [cached], { objectMode: false });
    return new BlobStream(this.blobs(), blobId, range);
  }

  async readBlobs(blobIds: readonly string[], maxBytes: number): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>();
    const missing: string[] = [];
    for (const id of blobIds) {
      const hit = this.cache.get(id);
      if (hit && hit.length <= maxBytes) out.set(id, hit);
      else if (!hit) missing.push(id);
    }
    if (missing.length > 0) {
      for (const [id, data] of await readBlobs(this.blobs(), missing, maxBytes)) {
        this.cache.set(id, data);
        out.set(id, data);
      }
    }
    return out;
  }

  private blobs(): pg.Pool {
    if (!this.blobPool) {
      this.blobPool = binaryPool(this.opts.url, Math.max(2, Math.ceil((this.opts.poolSize ?? 10) / 2)), `${this.opts.applicationName ?? 'darwin-store'}-blobs`);
      this.blobPool.on('error', (err) => this.opts.logger?.warn('idle database connection lost', { err }));
    }
    return this.blobPool;
  }

  search(folderId: string, key: SearchKey): Promise<SearchHit[]> {
    return search(this.pool, this.blobs(), folderId, key);
  }

  indexSearchText(max: number): Promise<number> {
    return indexPendingBodyText(this.pool, this.blobs(), max);
  }

  updateFlags(folderId: string, uids: readonly number[], mode: FlagMode, flags: readonly string[]): Promise<FlagUpdate[]> {
    return updateFlags(this.pool, folderId, uids, mode, flags);
  }

  storeFlags(folderId: string, uids: readonly number[], mode: FlagMode, flags: readonly string[], opts?: StoreFlagsOptions): Promise<StoreFlagsResult> {
    return storeFlags(this.pool, folderId, uids, mode, flags, opts);
  }

  expunge(folderId: string, opts: ExpungeOptions): Promise<number[]> {
    return expunge(this.pool, folderId, opts);
  }

  copyMessages(fromFolderId: string, uids: readonly number[], toFolderId: string): Promise<CopyResult> {
    return copyMessages(this.pool, fromFolderId, uids, toFolderId);
  }

  moveMessages(fromFolderId: string, uids: readonly number[], toFolderId: string): Promise<CopyResult> {
    return moveMessages(this.pool, fromFolderId, uids, toFolderId);
  }

  createFolder(mailboxId: string, name: string, opts: { specialUse?: string | null; subscribed?: boolean; maxFolders: number }): Promise<CreateFolderResult> {
    return createFolder(this.pool, mailboxId, name, opts);
  }

  deleteFolder(folderId: string): Promise<boolean> {
    return deleteFolder(this.pool, folderId);
  }

  renameFolder(mailboxId: string, from: string, to: string, opts: { maxFolders: number }): Promise<RenameFolderResult> {
    return renameFolder(this.pool, mailboxId, from, to, opts);
  }

  setSubscribed(folderId: string, subscribed: boolean): Promise<void> {
    return setSubscribed(this.pool, folderId, subscribed);
  }

  async quota(mailboxId: string): Promise<QuotaUsage> {
    const { rows } = await this.pool.query<{ used_bytes: string; quota_bytes: string; used_messages: number; quota_messages: number | null }>(
      'SELECT used_bytes, quota_bytes, used_messages, quota_messages FROM mailboxes WHERE id = $1',
      [mailboxId],
    );
    const r = rows[0];
    if (!r) throw new Error(`mailbox ${mailboxId} does not exist`);
    return { usedBytes: Number(r.used_bytes), quotaBytes: Number(r.quota_bytes), usedMessages: r.used_messages, quotaMessages: r.quota_messages };
  }

  lockMaildrop(mailboxId: string): Promise<MaildropLock | undefined> {
    return this.locks.lock(mailboxId);
  }

  watch(folderId: string, listener: (change: FolderChange) => void): () => void {
    return this.notifier.watch(folderId, listener);
  }

  /** Resolves when change notifications are being received. */
  watching(): Promise<void> {
    return this.notifier.ready();
  }

  async close(): Promise<void> {
    await this.notifier.close();
    await this.blobPool?.end();
    await this.locks.close();
    await this.pool.end();
  }
}
