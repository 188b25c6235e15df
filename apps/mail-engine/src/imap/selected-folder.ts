/**
 * The selected mailbox as this session sees it: the UID list that defines sequence numbers
 * (sequence number = index + 1), UIDVALIDITY, and what has changed since the client was last told.
 * Changes from any process arrive through MailStore.watch and only set a flag; the dispatcher asks
 * for the coalesced updates at a point where the protocol allows them (see NotifyPolicy).
 */
import type { FlagUpdate, FolderInfo, MailStore, MessageSummary } from '@darwin/mail-store';
import { lowerBound, resolveSequenceNumbers, resolveUids, type IndexRange, type SequenceSet } from './sequence-set.js';

export const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'] as const;

/** What the client must be told about the mailbox, in order. */
export type FolderUpdate = { readonly type: 'exists'; readonly count: number } | { readonly type: 'flags'; readonly seq: number; readonly uid: number; readonly flags: readonly string[] };

export interface SelectSummary {
  readonly exists: number;
  /** System flags and the keywords in use in the folder. */
  readonly flags: readonly string[];
  /** Sequence number of the first message without \Seen. */
  readonly firstUnseen?: number;
  readonly uidvalidity: number;
  readonly uidnext: number;
}

/** Rows fetched per store query while walking a large set. */
const BATCH = 256;

export class SelectedFolder {
  private uids: number[] = [];
  private modseq = 0;
  private changed = false;
  private resyncNeeded = false;
  private uidnext = 1;
  /** Flag changes this session made and already reported (uid -> modseq), not to be echoed back. */
  private readonly ownChanges = new Map<number, number>();
  private unwatch?: () => void;

  private constructor(
    readonly info: FolderInfo,
    readonly readOnly: boolean,
  ) {}

  /** Subscribes to changes first, then reads the state, so nothing committed in between is missed. */
  static async open(store: MailStore, info: FolderInfo, readOnly: boolean): Promise<{ folder: SelectedFolder; summary: SelectSummary }> {
    const folder = new SelectedFolder(info, readOnly);
    folder.unwatch = store.watch(info.id, (change) => {
      folder.changed = true;
      if (change.kind === 'expunge' || change.kind === 'folder') folder.resyncNeeded = true;
    });
    try {
      const status = await store.folderStatus(info.id);
      const messages = await store.listMessages(info.id);
      folder.modseq = status.highestModseq;
      folder.uids = messages.map((m) => m.uid);
      folder.uidnext = Math.max(status.uidnext, (folder.uids[folder.uids.length - 1] ?? 0) + 1);
      const keywords = new Set<string>();
      let firstUnseen: number | undefined;
      messages.forEach((m, i) => {
        for (const f of m.flags) if (!f.startsWith('\\')) keywords.add(f);
        if (firstUnseen === undefined && !m.flags.includes('\\Seen')) firstUnseen = i + 1;
      });
      return {
        folder,
        summary: {
          exists: folder.uids.length,
          flags: [...SYSTEM_FLAGS, ...[...keywords].sort()],
          firstUnseen,
          uidvalidity: status.uidvalidity,
          uidnext: folder.uidnext,
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

  /** Sequence number of a UID in this session's view, or 0. */
  seqOf(uid: number): number {
    const i = lowerBound(this.uids, uid);
    return this.uids[i] === uid ? i + 1 : 0;
  }

  /** Resolves a set to message indexes; sequence numbers out of range throw SequenceSetError. */
  resolve(set: SequenceSet, byUid: boolean): IndexRange[] {
    return byUid ? resolveUids(set, this.uids) : resolveSequenceNumbers(set, this.uids.length);
  }

  /**
   * The messages at the given indexes, in order and in batches, read from the store one batch at
   * a time so memory stays bounded whatever the size of the set. Messages removed meanwhile by
   * another session are skipped.
   */
  async *batches(store: MailStore, ranges: readonly IndexRange[]): AsyncGenerator<{ seq: number; message: MessageSummary }[]> {
    for (const r of ranges) {
      for (let start = r.start; start < r.end; start += BATCH) {
        const end = Math.min(r.end, start + BATCH);
        const rows = await store.listMessages(this.info.id, { from: this.uids[start]!, to: this.uids[end - 1]! });
        const batch: { seq: number; message: MessageSummary }[] = [];
        let k = 0;
        for (let i = start; i < end; i++) {
          const uid = this.uids[i]!;
          while (k < rows.length && rows[k]!.uid < uid) k++;
          if (k < rows.length && rows[k]!.uid === uid) batch.push({ seq: i + 1, message: rows[k]! });
        }
        if (batch.length > 0) yield batch;
      }
    }
  }

  /** Records flag changes this session made and reported itself. */
  noteOwnChanges(updates: readonly FlagUpdate[]): void {
    for (const u of updates) this.ownChanges.set(u.uid, u.modseq);
  }

  /**
   * What changed since the last call: new messages (as one EXISTS) and flag changes by others.
   * `force` asks the store even without a change notification (NOOP polling).
   *
   * Expunges by other sessions are not reported yet: `resyncNeeded` is where the full-IMAP issue
   * will diff the UID list and send EXPUNGE (only where RFC 3501 7.4.1 allows it).
   */
  async poll(store: MailStore, force: boolean): Promise<FolderUpdate[]> {
    if (!force && !this.changed) return [];
    this.changed = false;
    const changes = await store.listChangedSince(this.info.id, this.modseq);
    const updates: FolderUpdate[] = [];
    let added = 0;
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
      updates.push({ type: 'flags', seq, uid: m.uid, flags: m.flags });
    }
    for (const [uid, modseq] of this.ownChanges) if (modseq <= this.modseq) this.ownChanges.delete(uid);
    if (added > 0) {
      this.uidnext = Math.max(this.uidnext, this.uids[this.uids.length - 1]! + 1);
      updates.unshift({ type: 'exists', count: this.uids.length });
    }
    return updates;
  }

  /** Whether an expunge or a lost notification means the UID list may be stale (later issue). */
  get mayBeStale(): boolean {
    return this.resyncNeeded;
  }

  close(): void {
    this.unwatch?.();
    this.unwatch = undefined;
  }
}
