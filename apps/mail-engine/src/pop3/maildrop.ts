/** What the session keeps of each message: enough to list, send and delete it. */
export interface MaildropMessage {
  /** The store's message id (decimal string); the UIDL unique-id. */
  readonly id: string;
  readonly uid: number;
  /** Exact octets of the stored message, which RETR sends (before byte-stuffing). */
  readonly size: number;
  readonly blobId: string;
}

/** A message as the store lists it (MaildropEntry, or a MessageSummary with its flags) at login. */
export interface MaildropSource extends MaildropMessage {
  readonly seen?: boolean;
  readonly flags?: readonly string[];
}

export interface MaildropStat {
  readonly count: number;
  readonly octets: number;
}

/**
 * The INBOX as the POP3 session sees it: a snapshot taken at login, numbered 1..n in UID order,
 * plus the session's deletion marks. RFC 1939 keeps message numbers fixed for the whole session:
 * DELE does not renumber, a deleted number is simply "no such message", and mail arriving after
 * login is not shown. Nothing here touches the store; QUIT hands `deletedUids()` to expunge.
 * It also remembers which messages were \Seen at login, so RETR asks the store to flag only the
 * others (`markSeen`).
 */
export class Maildrop {
  private readonly messages: readonly MaildropMessage[];
  private readonly deleted: Uint8Array;
  /** 1 when the message had \Seen at login or has been retrieved since. */
  private readonly seen: Uint8Array;
  private deletedCount = 0;
  private deletedOctets = 0;
  private readonly totalOctets: number;

  constructor(messages: readonly MaildropSource[]) {
    this.messages = messages.map((m) => ({ id: m.id, uid: m.uid, size: m.size, blobId: m.blobId }));
    this.deleted = new Uint8Array(this.messages.length);
    this.seen = Uint8Array.from(messages, (m) => (m.seen || m.flags?.includes('\\Seen') ? 1 : 0));
    this.totalOctets = this.messages.reduce((n, m) => n + m.size, 0);
  }

  /** The highest message number of the session (deleted ones included). */
  get highest(): number {
    return this.messages.length;
  }

  /** Message number `n`, or undefined when it does not exist or is marked deleted. */
  get(n: number): MaildropMessage | undefined {
    if (!this.exists(n) || this.deleted[n - 1]) return undefined;
    return this.messages[n - 1];
  }

  /** Marks message `n` deleted; false when it does not exist or already is. */
  markDeleted(n: number): boolean {
    const m = this.get(n);
    if (!m) return false;
    this.deleted[n - 1] = 1;
    this.deletedCount += 1;
    this.deletedOctets += m.size;
    return true;
  }

  /**
   * Message `n` has been retrieved: true when it must now be flagged \Seen in the store, false
   * when it already had \Seen at login or was retrieved before in this session.
   */
  markSeen(n: number): boolean {
    if (!this.exists(n) || this.seen[n - 1]) return false;
    this.seen[n - 1] = 1;
    return true;
  }

  /** Unmarks every message (RSET). */
  reset(): void {
    this.deleted.fill(0);
    this.deletedCount = 0;
    this.deletedOctets = 0;
  }

  /** Count and octets of the messages not marked deleted (STAT). */
  stat(): MaildropStat {
    return { count: this.messages.length - this.deletedCount, octets: this.totalOctets - this.deletedOctets };
  }

  /** The messages not marked deleted, with their fixed numbers, in order. */
  *entries(): IterableIterator<readonly [number, MaildropMessage]> {
    for (let i = 0; i < this.messages.length; i++) if (!this.deleted[i]) yield [i + 1, this.messages[i]!];
  }

  /** UIDs of the messages marked deleted, ascending. */
  deletedUids(): number[] {
    const uids: number[] = [];
    for (let i = 0; i < this.messages.length; i++) if (this.deleted[i]) uids.push(this.messages[i]!.uid);
    return uids.sort((a, b) => a - b);
  }

  private exists(n: number): boolean {
    return Number.isInteger(n) && n >= 1 && n <= this.messages.length;
  }
}
