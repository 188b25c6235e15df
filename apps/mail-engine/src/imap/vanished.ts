/**
 * `VANISHED (EARLIER)` (RFC 7162 3.2.5.2, 3.2.6) for SELECT/EXAMINE (QRESYNC) and UID FETCH
 * (VANISHED): the UIDs of a set expunged since the client's modseq. From the expunge record while
 * it reaches back that far; once pruned, every UID of the set below UIDNEXT that is not present
 * (the RFC lets the server name UIDs the client never knew).
 */
import type { ExpungedSince } from '@darwin/mail-store';
import { formatNumbers, missingUids, type SequenceSet } from './sequence-set.js';

/** Whether a UID is in a set, `*` being the largest UID (an expunged UID above it counts as `*`). */
function uidInSet(uid: number, set: SequenceSet, maxUid: number): boolean {
  const star = Math.max(maxUid, uid);
  return set.some((r) => {
    const a = r.from === '*' ? star : r.from;
    const b = r.to === '*' ? star : r.to;
    return uid >= Math.min(a, b) && uid <= Math.max(a, b);
  });
}

/** The UID set to report, or '' when nothing of `set` vanished. `present` is ascending. */
export function vanishedEarlier(expunged: ExpungedSince, set: SequenceSet, present: readonly number[], uidnext: number): string {
  if (!expunged.complete) return missingUids(set, present, uidnext - 1);
  const maxUid = present[present.length - 1] ?? 0;
  return formatNumbers(expunged.uids.map((e) => e.uid).filter((u) => uidInSet(u, set, maxUid)));
}
