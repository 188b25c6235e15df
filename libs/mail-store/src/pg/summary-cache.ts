/**
 * Message summaries (UID, flags, modseq, size, date, ENVELOPE wire form) of recently used folders,
 * what Dovecot keeps in its index files, held in memory per process and bounded. Before every use
 * one primary-key lookup reads the folder's highest modseq; when it has moved, only what changed
 * since is read (changed rows, expunge records). A repeated `FETCH 1:* (FLAGS ENVELOPE)` of a large
 * folder then reads one row instead of all of them, and answers as freshly as a query would:
 * modseqs are assigned under the folder lock in commit order, so "changed since m" is complete.
 */
import { lowerBound } from '@darwin/core';
import type pg from 'pg';
import type { FolderSnapshot, FolderStatus, MessageSummary, UidRange } from '../types.js';
import { listExpungedSince } from './messages.js';
import { MESSAGE_COLUMNS, toMessage, type MessageRow } from './rows.js';

/** The folder row as read by the last refresh. */
interface FolderRow {
  readonly highest_modseq: string;
  readonly uidnext: string;
  readonly uidvalidity: string;
  readonly recent_uid: string;
}

interface Entry {
  /** Every change up to this modseq is applied. */
  modseq: number;
  folder: FolderRow;
  /** Ascending; `rows[i]` is the message with UID `uids[i]`. */
  readonly uids: number[];
  readonly rows: MessageSummary[];
  bytes: number;
}

type Row = MessageRow & { envelope_imap: string | null };

const COLUMNS = `${MESSAGE_COLUMNS}, m.envelope_imap`;
const UID_MAX = 4294967295;
const TOO_LARGE_RECHECK_MS = 60_000;

/** Rough heap cost of one summary: the object, its strings and flags. */
function sizeOf(m: MessageSummary): number {
  let n = 160 + m.id.length + m.blobId.length + (m.envelopeImap?.length ?? 0);
  for (const f of m.flags) n += 16 + f.length;
  return n;
}

function toSummary(r: Row): MessageSummary {
  const m = toMessage(r);
  return r.envelope_imap === null ? m : { ...m, envelopeImap: r.envelope_imap };
}

export class SummaryCache {
  /** In least-recently-used order (a Map iterates in insertion order; use re-inserts). */
  private readonly entries = new Map<string, Entry>();
  /** The last refresh queued per folder: refreshes of one folder run one after another. */
  private readonly queue = new Map<string, Promise<unknown>>();
  private bytes = 0;
  /** Folders found too large, and when: they are not counted again for a minute. */
  private readonly tooLarge = new Map<string, number>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly maxBytes: number,
  ) {}

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  /** Bytes held (estimated), for tests and metrics. */
  get size(): number {
    return this.bytes;
  }

  /**
   * The folder's messages in `range`, in UID order, as fresh as a query made now; undefined when
   * the folder cannot be served from here (too large for the cache, gone, or `withEnvelope` and a
   * row still lacks its rendered ENVELOPE): the caller then asks the database.
   */
  async list(folderId: string, range: UidRange, withEnvelope: boolean): Promise<MessageSummary[] | undefined> {
    const entry = await this.current(folderId);
    if (!entry) return undefined;
    const from = lowerBound(entry.uids, range.from ?? 1);
    const to = lowerBound(entry.uids, (range.to ?? UID_MAX) + 1);
    const rows = entry.rows.slice(from, to);
    if (withEnvelope && rows.some((m) => m.envelopeImap === undefined)) return undefined;
    return rows;
  }

  /** STATUS figures computed from the summaries (SELECT and STATUS then scan no rows); undefined as for list(). */
  async status(folderId: string): Promise<FolderStatus | undefined> {
    const entry = await this.current(folderId);
    if (!entry) return undefined;
    const recentUid = Number(entry.folder.recent_uid);
    let unseen = 0;
    let sizeBytes = 0;
    for (const m of entry.rows) {
      if (!m.flags.includes('\\Seen')) unseen++;
      sizeBytes += m.size;
    }
    return {
      messages: entry.rows.length,
      unseen,
      sizeBytes,
      uidnext: Number(entry.folder.uidnext),
      uidvalidity: Number(entry.folder.uidvalidity),
      highestModseq: Number(entry.folder.highest_modseq),
      recent: entry.uids.length - lowerBound(entry.uids, recentUid),
      recentUid,
    };
  }

  /** What SELECT needs (UIDs, first unseen, keywords in use), from the summaries; undefined as for list(). */
  async snapshot(folderId: string): Promise<FolderSnapshot | undefined> {
    const entry = await this.current(folderId);
    if (!entry) return undefined;
    let firstUnseenUid: number | undefined;
    const keywords = new Set<string>();
    for (const m of entry.rows) {
      if (firstUnseenUid === undefined && !m.flags.includes('\\Seen')) firstUnseenUid = m.uid;
      for (const f of m.flags) if (!f.startsWith('\\')) keywords.add(f);
    }
    // A copy: the caller keeps and changes its own list.
    return { uids: entry.uids.slice(), firstUnseenUid, keywords: [...keywords].sort() };
  }

  /**
   * The folder's entry brought up to date. Each caller refreshes after the refreshes queued before
   * it, never sharing one that began before its call (a commit it must see could have come in between).
   */
  private async current(folderId: string): Promise<Entry | undefined> {
    const previous = this.queue.get(folderId) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(() => this.refresh(folderId));
    this.queue.set(folderId, mine);
    try {
      return await mine;
    } finally {
      if (this.queue.get(folderId) === mine) this.queue.delete(folderId);
    }
  }

  /** Forgets a folder (after it was deleted, or when its record of expunges no longer reaches back). */
  drop(folderId: string): void {
    const e = this.entries.get(folderId);
    if (!e) return;
    this.entries.delete(folderId);
    this.bytes -= e.bytes;
  }

  private async refresh(folderId: string): Promise<Entry | undefined> {
    const { rows } = await this.pool.query<FolderRow>('SELECT highest_modseq, uidnext, uidvalidity, recent_uid FROM folders WHERE id = $1', [folderId]);
    const folder = rows[0];
    if (!folder) {
      this.drop(folderId);
      return undefined;
    }
    const modseq = Number(folder.highest_modseq);
    let entry = this.entries.get(folderId);
    if (entry && entry.modseq !== modseq && !(await this.applyChanges(folderId, entry, modseq))) {
      this.drop(folderId);
      entry = undefined;
    }
    entry ??= await this.load(folderId, modseq, folder);
    if (!entry) return undefined;
    entry.folder = folder;
    // Most recently used last.
    this.entries.delete(folderId);
    this.entries.set(folderId, entry);
    this.evict();
    return this.entries.get(folderId);
  }

  /** Brings an entry from its modseq to `modseq`; false when that is not possible (pruned expunges). */
  private async applyChanges(folderId: string, entry: Entry, modseq: number): Promise<boolean> {
    const expunged = await listExpungedSince(this.pool, folderId, entry.modseq);
    if (!expunged.complete) return false;
    const gone = new Set(expunged.uids.map((e) => e.uid));
    if (gone.size > 0) {
      let k = 0;
      for (let i = 0; i < entry.uids.length; i++) {
        if (gone.has(entry.uids[i]!)) {
          entry.bytes -= sizeOf(entry.rows[i]!);
          this.bytes -= sizeOf(entry.rows[i]!);
          continue;
        }
        entry.uids[k] = entry.uids[i]!;
        entry.rows[k] = entry.rows[i]!;
        k++;
      }
      entry.uids.length = k;
      entry.rows.length = k;
    }
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM messages m WHERE m.folder_id = $1 AND m.modseq > $2 ORDER BY m.uid`, [folderId, entry.modseq]);
    for (const r of rows) {
      const m = toSummary(r);
      const i = lowerBound(entry.uids, m.uid);
      const delta = sizeOf(m) - (entry.uids[i] === m.uid ? sizeOf(entry.rows[i]!) : 0);
      if (entry.uids[i] === m.uid) entry.rows[i] = m;
      else {
        entry.uids.splice(i, 0, m.uid);
        entry.rows.splice(i, 0, m);
      }
      entry.bytes += delta;
      this.bytes += delta;
    }
    // Changes read here may be newer than `modseq`; applying them again later is harmless.
    entry.modseq = modseq;
    return true;
  }

  private async load(folderId: string, modseq: number, folder: FolderRow): Promise<Entry | undefined> {
    // A folder that would take more than a quarter of the cache is read from the database each time.
    const checked = this.tooLarge.get(folderId);
    if (checked !== undefined && Date.now() - checked < TOO_LARGE_RECHECK_MS) return undefined;
    this.tooLarge.delete(folderId);
    const { rows: count } = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM messages WHERE folder_id = $1', [folderId]);
    if (Number(count[0]?.n ?? 0) * 400 > this.maxBytes / 4) {
      if (this.tooLarge.size > 10_000) this.tooLarge.clear();
      this.tooLarge.set(folderId, Date.now());
      return undefined;
    }
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM messages m WHERE m.folder_id = $1 ORDER BY m.uid`, [folderId]);
    const entry: Entry = { modseq, folder, uids: [], rows: [], bytes: 0 };
    for (const r of rows) {
      const m = toSummary(r);
      entry.uids.push(m.uid);
      entry.rows.push(m);
      entry.bytes += sizeOf(m);
    }
    if (entry.bytes > this.maxBytes / 4) {
      this.tooLarge.set(folderId, Date.now());
      return undefined;
    }
    this.bytes += entry.bytes;
    return entry;
  }

  private evict(): void {
    for (const [id, e] of this.entries) {
      if (this.bytes <= this.maxBytes || this.entries.size <= 1) return;
      this.entries.delete(id);
      this.bytes -= e.bytes;
    }
  }
}
