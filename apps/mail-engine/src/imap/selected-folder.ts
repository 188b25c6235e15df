/**
 * The selected mailbox as this session sees it: the UID list that defines sequence numbers
 * (sequence number = index + 1), UIDVALIDITY, and what has changed since the client was last told.
 * Changes from any process arrive through MailStore.watch and only set flags; the dispatcher (or
 * IDLE) asks for the coalesced updates at a point where the protocol allows them:
 *
 * - new mail: one EXISTS with the final count, however many deliveries were notified;
 * - flag changes by others: one FETCH per message with its final flags (MODSEQ with CONDSTORE);
 * - expunges by others: EXPUNGE (or one VANISHED with QRESYNC), but only where RFC 3501 7.4.1
 *   allows them: never during FETCH, STORE or SEARCH, which would shift sequence numbers under
 *   the client. Until then the expunged messages keep their numbers (and simply return nothing).
 */
import type { FlagUpdate, FolderInfo, ListOptions, MailStore, MessageSummary, RecentClaim } from '@darwin/mail-store';
import { lowerBound, resolveSequenceNumbers, resolveSequenceNumbersLenient, resolveUids, type IndexRange, type SequenceSet } from './sequence-set.js';

export const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'] as const;

/** What the client must be told about the mailbox, in order. */
export type FolderUpdate =
  | { readonly type: 'expunge'; readonly seq: number }
  | { readonly type: 'vanished'; readonly uids: readonly number[] }
  | { readonly type: 'exists'; readonly count: number }
  | { readonly type: 'recent'; readonly count: number }
  | { readonly type: 'flags'; readonly seq: number; readonly uid: number; readonly flags: readonly string[]; readonly modseq: number }
  /** The folder itself is gone (deleted by another session). */
  | { readonly type: 'deleted' };

export interface SelectSummary {
  readonly exists: number;
  readonly recent: number;
  /** System flags and the keywords in use in the folder. */
  readonly flags: readonly string[];
  /** Sequence number of the first message without \Seen. */
  readonly firstUnseen?: number;
  readonly uidvalidity: number;
  readonly uidnext: number;
  readonly highestModseq: number;
}

export interface PollOptions {
  /** Ask the store even without a change notification (NOOP, CHECK, IDLE start). */
  readonly force: boolean;
  /** EXPUNGE/VANISHED may be sent now (not during FETCH, STORE, SEARCH). */
  readonly expunges: boolean;
  /** Report expunges as VANISHED (QRESYNC enabled). */
  readonly vanished: boolean;
}

/** Rows fetched per store query while walking a large set. */
const BATCH = 500;

export class SelectedFolder {
  private uids: number[] = [];
  /** Highest modseq of changes (flags, new mail) already looked at. */
  private modseq = 0;
  /** Highest modseq of expunges already applied to `uids`. */
  private expungeModseq = 0;
  private changed = false;
  private expungePending = false;
  private folderChanged = false;
  private uidnext = 1;
  /** Flag changes this session made and already reported (uid -> modseq), not to be echoed back. */
  private readonly ownChanges = new Map<number, number>();
  private unwatch?: () => void;
  /** Called on every change notification (IDLE pushes from here). */
  onChange?: () => void;
  /** Keywords announced in FLAGS so far. */
  private readonly keywords = new Set<string>();
  /**
   * UID ranges that are \Recent in this session: claimed from the store by a read-write session
   * (no other session gets them), or everything from the folder's mark on when read-only.
   */
  private readonly recent: RecentClaim[] = [];
  /** The RECENT count last reported: like Dovecot, RECENT is sent again only when it changed. */
  private reportedRecent = 0;

  private constructor(
    readonly info: FolderInfo,
    readonly readOnly: boolean,
  ) {}

  /** Subscribes to changes first, then reads the state, so nothing committed in between is missed. */
  static async open(store: MailStore, info: FolderInfo, readOnly: boolean): Promise<{ folder: SelectedFolder; summary: SelectSummary }> {
    const folder = new SelectedFolder(info, readOnly);
    folder.unwatch = store.watch(info.id, (change) => {
      folder.changed = true;
      if (change.kind === 'expunge') folder.expungePending = true;
      if (change.kind === 'folder') {
        folder.expungePending = true;
        folder.folderChanged = true;
      }
      folder.onChange?.();
    });
    try {
      // The status first: whatever commits after it is seen again by the first poll.
      const status = await store.folderStatus(info.id);
      const snap = await store.folderSnapshot(info.id);
      folder.modseq = status.highestModseq;
      folder.expungeModseq = status.highestModseq;
      folder.uids = snap.uids;
      folder.uidnext = Math.max(status.uidnext, (folder.uids[folder.uids.length - 1] ?? 0) + 1);
      // Claimed after the snapshot: what arrives in between is claimed too and reported by the first poll.
      if (readOnly) folder.recent.push({ from: status.recentUid, to: Number.POSITIVE_INFINITY });
      else await folder.claimRecent(store);
      const keywords = folder.keywords;
      for (const k of snap.keywords) keywords.add(k);
      const firstUnseen = snap.firstUnseenUid !== undefined ? folder.seqOf(snap.firstUnseenUid) || undefined : undefined;
      return {
        folder,
        summary: {
          exists: folder.uids.length,
          recent: (folder.reportedRecent = folder.recentCount),
          flags: [...SYSTEM_FLAGS, ...[...keywords].sort()],
          firstUnseen,
          uidvalidity: status.uidvalidity,
          uidnext: folder.uidnext,
          highestModseq: status.highestModseq,
        },
      };
    } catch (err) {
      folder.close();
      throw err;
    }
  }

  get id(): string {
    return this.info.id;
  }

  get exists(): number {
    return this.uids.length;
  }

  /** The highest modseq this session has reported (for HIGHESTMODSEQ after a command). */
  get highestModseq(): number {
    return Math.max(this.modseq, this.expungeModseq);
  }

  /** UIDNEXT as this session knows it. */
  get nextUid(): number {
    return this.uidnext;
  }

  /** UIDs in this session's view, ascending (read-only). */
  get uidList(): readonly number[] {
    return this.uids;
  }

  uidAt(index: number): number {
    return this.uids[index]!;
  }

  /** Sequence number of a UID in this session's view, or 0. */
  seqOf(uid: number): number {
    const i = lowerBound(this.uids, uid);
    return this.uids[i] === uid ? i + 1 : 0;
  }

  /** Number of messages in this session's view that are \Recent to it. */
  get recentCount(): number {
    let n = 0;
    for (const r of this.recent) n += lowerBound(this.uids, r.to) - lowerBound(this.uids, r.from);
    return n;
  }

  /** The UID ranges (inclusive) that are \Recent to this session, for SEARCH RECENT/NEW/OLD. */
  get recentRanges(): { from: number; to: number }[] {
    return this.recent.map((r) => ({ from: r.from, to: Math.min(r.to - 1, 4294967295) })).filter((r) => r.to >= r.from);
  }

  isRecent(uid: number): boolean {
    return this.recent.some((r) => uid >= r.from && uid < r.to);
  }

  /** A message's flags as this session shows them: \Recent added where it applies. */
  flagsOf(uid: number, flags: readonly string[]): readonly string[] {
    return this.isRecent(uid) ? [...flags, '\\Recent'] : flags;
  }

  private async claimRecent(store: MailStore): Promise<void> {
    const claim = await store.claimRecent(this.info.id);
    if (claim.to <= claim.from) return;
    const last = this.recent[this.recent.length - 1];
    if (last && last.to === claim.from) this.recent[this.recent.length - 1] = { from: last.from, to: claim.to };
    else this.recent.push(claim);
  }

  /** Resolves a set to message indexes; sequence numbers out of range throw SequenceSetError (unless lenient: SEARCH). */
  resolve(set: SequenceSet, byUid: boolean, lenient = false): IndexRange[] {
    if (byUid) return resolveUids(set, this.uids);
    return lenient ? resolveSequenceNumbersLenient(set, this.uids.length) : resolveSequenceNumbers(set, this.uids.length);
  }

  /** The UIDs at the given indexes (bounded by the mailbox size, never by the numbers written). */
  uidsOf(ranges: readonly IndexRange[]): number[] {
    const out: number[] = [];
    for (const r of ranges) for (let i = r.start; i < r.end; i++) out.push(this.uids[i]!);
    return out;
  }

  /** Index ranges -> inclusive UID ranges (for the store's SEARCH). */
  uidRanges(ranges: readonly IndexRange[]): { from: number; to: number }[] {
    return ranges.filter((r) => r.end > r.start).map((r) => ({ from: this.uids[r.start]!, to: this.uids[r.end - 1]! }));
  }

  /**
   * The messages at the given indexes, in order and in batches, read from the store one batch at
   * a time so memory stays bounded whatever the size of the set. Messages removed meanwhile by
   * another session are skipped.
   */
  async *batches(store: MailStore, ranges: readonly IndexRange[], opts?: ListOptions): AsyncGenerator<{ seq: number; message: MessageSummary }[]> {
    const slices: { start: number; end: number }[] = [];
    for (const r of ranges) for (let start = r.start; start < r.end; start += BATCH) slices.push({ start, end: Math.min(r.end, start + BATCH) });
    // The UIDs of each slice are taken now: the view may change (EXPUNGE) while batches are written.
    const uids = slices.map((s) => this.uids.slice(s.start, s.end));
    const load = (n: number) => store.listMessages(this.info.id, { from: uids[n]![0]!, to: uids[n]![uids[n]!.length - 1]! }, opts);
    // One batch is read ahead while the previous one is written, so database and socket overlap.
    let next = slices.length > 0 ? load(0) : undefined;
    for (let n = 0; n < slices.length; n++) {
      const rows = await next!;
      next = n + 1 < slices.length ? load(n + 1) : undefined;
      // An unread look-ahead must not become an unhandled rejection if the consumer stops early.
      next?.catch(() => {});
      const batch: { seq: number; message: MessageSummary }[] = [];
      let k = 0;
      const sliceUids = uids[n]!;
      for (let i = 0; i < sliceUids.length; i++) {
        const uid = sliceUids[i]!;
        while (k < rows.length && rows[k]!.uid < uid) k++;
        if (k < rows.length && rows[k]!.uid === uid) batch.push({ seq: slices[n]!.start + i + 1, message: rows[k]! });
      }
      if (batch.length > 0) yield batch;
    }
  }

  /**
   * Keywords not announced yet among these flags are added; the new FLAGS list is returned when
   * there were any (the client is then sent FLAGS and PERMANENTFLAGS again, as Dovecot does).
   */
  learnKeywords(flags: Iterable<string>): string[] | undefined {
    let grew = false;
    for (const f of flags) {
      if (f.startsWith('\\') || this.keywords.has(f)) continue;
      this.keywords.add(f);
      grew = true;
    }
    return grew ? [...SYSTEM_FLAGS, ...[...this.keywords].sort()] : undefined;
  }

  /** Records flag changes this session made and reported itself. */
  noteOwnChanges(updates: readonly FlagUpdate[]): void {
    for (const u of updates) this.ownChanges.set(u.uid, u.modseq);
  }

  /**
   * Removes UIDs this session expunged itself (EXPUNGE, MOVE): returns the sequence numbers to
   * report, in order, each valid at the moment it is sent (RFC 3501 7.4.1).
   */
  removeOwn(uids: readonly number[], modseq?: number): number[] {
    if (modseq !== undefined && this.expungeModseq === modseq - 1) this.expungeModseq = modseq;
    return this.remove([...uids].sort((a, b) => a - b));
  }

  private remove(sortedUids: readonly number[]): number[] {
    const seqs: number[] = [];
    for (const uid of sortedUids) {
      const i = lowerBound(this.uids, uid);
      if (this.uids[i] !== uid) continue;
      this.uids.splice(i, 1);
      seqs.push(i + 1);
    }
    return seqs;
  }

  /** Messages appended by this session (APPEND, COPY into itself) are reported at the next poll. */
  markChanged(): void {
    this.changed = true;
  }

  /** What changed since the last call, as the updates to send now. */
  async poll(store: MailStore, opts: PollOptions): Promise<FolderUpdate[]> {
    const updates: FolderUpdate[] = [];
    if (this.folderChanged && opts.expunges) {
      this.folderChanged = false;
      const still = await store.listFolders(this.info.mailboxId);
      if (!still.some((f) => f.id === this.info.id)) return [{ type: 'deleted' }];
    }
    if (opts.expunges && (this.expungePending || opts.force)) {
      this.expungePending = false;
      const gone = await store.listExpungedSince(this.info.id, this.expungeModseq);
      let uids: number[];
      if (gone.complete) uids = gone.uids.map((g) => g.uid).filter((u) => this.seqOf(u) > 0);
      else {
        // Records were pruned while this session was open: compare the view with what is there.
        const present = new Set(await store.listUids(this.info.id));
        uids = this.uids.filter((u) => !present.has(u));
        this.expungeModseq = Math.max(this.expungeModseq, gone.horizon);
      }
      for (const g of gone.uids) if (g.modseq > this.expungeModseq) this.expungeModseq = g.modseq;
      if (uids.length > 0) {
        if (opts.vanished) {
          this.remove(uids);
          updates.push({ type: 'vanished', uids });
        } else {
          for (const seq of this.remove(uids)) updates.push({ type: 'expunge', seq });
        }
      }
    }
    if (!opts.force && !this.changed) return this.withRecentChange(updates);
    this.changed = false;
    const changes = await store.listChangedSince(this.info.id, this.modseq);
    let added = 0;
    const flagUpdates: FolderUpdate[] = [];
    for (const m of changes) {
      if (m.modseq > this.modseq) this.modseq = m.modseq;
      const last = this.uids[this.uids.length - 1] ?? 0;
      if (m.uid > last) {
        this.uids.push(m.uid);
        added++;
        continue;
      }
      const seq = this.seqOf(m.uid);
      if (seq === 0) continue;
      if (this.ownChanges.get(m.uid) === m.modseq) continue;
      flagUpdates.push({ type: 'flags', seq, uid: m.uid, flags: m.flags, modseq: m.modseq });
    }
    for (const [uid, modseq] of this.ownChanges) if (modseq <= this.modseq) this.ownChanges.delete(uid);
    if (added > 0) {
      this.uidnext = Math.max(this.uidnext, this.uids[this.uids.length - 1]! + 1);
      if (!this.readOnly) await this.claimRecent(store);
      updates.push({ type: 'exists', count: this.uids.length });
    }
    this.withRecentChange(updates);
    updates.push(...flagUpdates);
    return updates;
  }

  /** Appends `* n RECENT` when the count changed (new mail, expunges), as Dovecot reports it. */
  private withRecentChange(updates: FolderUpdate[]): FolderUpdate[] {
    const n = this.takeRecentChange();
    if (n !== undefined) updates.push({ type: 'recent', count: n });
    return updates;
  }

  /** The RECENT count when it differs from the one last reported (which it then becomes). */
  takeRecentChange(): number | undefined {
    const n = this.recentCount;
    if (n === this.reportedRecent) return undefined;
    this.reportedRecent = n;
    return n;
  }

  close(): void {
    this.onChange = undefined;
    this.unwatch?.();
    this.unwatch = undefined;
  }
}
