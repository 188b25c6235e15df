import type { QuotaUsage } from '@darwin/core';
import type { SearchHit, SearchKey } from './search-query.js';
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
  BlobStream,
  DeliveryOptions,
  DeliveryOutcome,
  DeliveryTarget,
  ExpungeOptions,
  FlagMode,
  FlagUpdate,
  FolderChange,
  FolderInfo,
  FolderStatus,
  HostedDomain,
  MailboxAccount,
  MaildropLock,
  MessageSummary,
  RecentClaim,
  SpooledMessage,
  UidRange,
} from './types.js';

/**
 * The message store: the one interface through which SMTP, IMAP, POP3 and the API read and change
 * mail. Implementations keep the invariants in the database (see ARCHITECTURE.md): a call that
 * resolves has committed; quota, UIDs and modseqs are guarded in SQL, not in process memory.
 */
export interface MailStore {
  /** Looks an account up by its normalised address (lower case, IDNA domain). */
  findAccount(address: string): Promise<MailboxAccount | undefined>;
  getAccount(mailboxId: string): Promise<MailboxAccount | undefined>;
  /** A hosted domain by its normalised name (lower-case IDNA), or undefined when we do not host it. */
  findDomain(name: string): Promise<HostedDomain | undefined>;
  /** Records a successful login (time only; best effort). */
  touchLogin(mailboxId: string): Promise<void>;

  /**
   * Stores one message for every target in one transaction: one blob shared by all, quota checked
   * and charged per mailbox with a guarded UPDATE. Targets over quota are skipped (their outcome
   * says so) while the others are stored; resolves only after COMMIT.
   */
  deliver(message: SpooledMessage, targets: readonly DeliveryTarget[], opts?: DeliveryOptions): Promise<DeliveryOutcome[]>;

  /**
   * Like deliver, and in the same transaction queues the message for remote recipients (one
   * outbound_queue row each, sharing the blob): what SMTP submission, forwarding and vacation
   * replies need so that one 250 covers every copy.
   */
  accept(message: SpooledMessage, request: AcceptRequest, opts?: DeliveryOptions): Promise<AcceptResult>;

  listFolders(mailboxId: string): Promise<FolderInfo[]>;
  /** By name; "INBOX" matches case-insensitively, other names exactly. */
  getFolder(mailboxId: string, name: string): Promise<FolderInfo | undefined>;
  folderStatus(folderId: string): Promise<FolderStatus>;
  /**
   * Takes the folder's messages not yet shown as \Recent for the calling session (RFC 3501
   * 2.3.2): exactly one session sees each message as recent, whichever process it runs in.
   * An empty range (from = to) when there is nothing to take.
   */
  claimRecent(folderId: string): Promise<RecentClaim>;

  /** Messages of a folder in UID order, optionally limited to a UID range. */
  listMessages(folderId: string, range?: UidRange, opts?: ListOptions): Promise<MessageSummary[]>;
  /** The folder's messages as POP3 lists them at login (id, uid, size, blob, \Seen), in UID order, in one compact query. */
  listMaildrop(folderId: string): Promise<MaildropEntry[]>;
  /** The UIDs of a folder, ascending (what an IMAP session's sequence numbers are made of). */
  listUids(folderId: string): Promise<number[]>;
  /** UIDs, first unseen UID and keywords in use, in one query (IMAP SELECT). */
  folderSnapshot(folderId: string): Promise<FolderSnapshot>;
  /** Messages whose modseq is above `sinceModseq` (flag changes and new mail), in UID order. */
  listChangedSince(folderId: string, sinceModseq: number): Promise<MessageSummary[]>;
  /** UIDs expunged from the folder with a modseq above `sinceModseq`, ascending by UID. */
  listExpungedSince(folderId: string, sinceModseq: number): Promise<ExpungedSince>;
  /**
   * Deletes expunge records older than `olderThan` (in batches) and moves each folder's horizon
   * past them; resolves to the number deleted. Safe to run in several processes at once.
   */
  pruneExpunged(olderThan: Date): Promise<number>;
  /** The raw RFC 5322 bytes (or the `range` of them), streamed chunk by chunk with backpressure. */
  openBlob(blobId: string, range?: ByteRange): BlobStream;
  /**
   * Small blobs (at most `maxBytes`, and one storage chunk) read whole in one round trip, keyed by
   * blob id; larger ones are not in the map (stream those with openBlob). For FETCH of many small
   * messages, where a query per message would dominate.
   */
  readBlobs(blobIds: readonly string[], maxBytes: number): Promise<Map<string, Buffer>>;
  /** Messages of the folder matching `key`, in UID order. */
  search(folderId: string, key: SearchKey): Promise<SearchHit[]>;
  /**
   * Extracts the searchable body text of up to `max` messages delivered since the last call (any
   * mailbox), for SEARCH BODY/TEXT; resolves to how many. Safe to run in several processes at once.
   */
  indexSearchText(max: number): Promise<number>;

  /** Changes flags of the given UIDs; returns only the messages whose flags actually changed. */
  updateFlags(folderId: string, uids: readonly number[], mode: FlagMode, flags: readonly string[]): Promise<FlagUpdate[]>;
  /** updateFlags with RFC 7162 UNCHANGEDSINCE: one new modseq for the whole command. */
  storeFlags(folderId: string, uids: readonly number[], mode: FlagMode, flags: readonly string[], opts?: StoreFlagsOptions): Promise<StoreFlagsResult>;
  /** Deletes messages, frees their quota and blobs; returns the UIDs removed, ascending. */
  expunge(folderId: string, opts: ExpungeOptions): Promise<number[]>;
  /** Copies messages (sharing their blobs) into another folder of the same mailbox, quota permitting. */
  copyMessages(fromFolderId: string, uids: readonly number[], toFolderId: string): Promise<CopyResult>;
  /** Moves messages (RFC 6851): new UIDs in the target, expunged from the source, in one transaction. */
  moveMessages(fromFolderId: string, uids: readonly number[], toFolderId: string): Promise<CopyResult>;

  /** Creates a folder (not its parents); refused when it exists or the mailbox has `maxFolders`. */
  createFolder(mailboxId: string, name: string, opts: { specialUse?: string | null; subscribed?: boolean; maxFolders: number }): Promise<CreateFolderResult>;
  /** Deletes a folder with its messages (quota and blobs freed); false when it does not exist. */
  deleteFolder(folderId: string): Promise<boolean>;
  /**
   * Renames a folder and its children (`a` -> `b` renames `a/x` to `b/x`). Renaming INBOX moves
   * its messages into a new folder and leaves INBOX empty (RFC 3501 6.3.5).
   */
  renameFolder(mailboxId: string, from: string, to: string, opts: { maxFolders: number }): Promise<RenameFolderResult>;
  setSubscribed(folderId: string, subscribed: boolean): Promise<void>;

  quota(mailboxId: string): Promise<QuotaUsage>;

  /** Takes the POP3 maildrop lock for a mailbox; undefined when another session holds it (any process). */
  lockMaildrop(mailboxId: string): Promise<MaildropLock | undefined>;

  /** Calls `listener` after any committed change to the folder, from this or any other process. */
  watch(folderId: string, listener: (change: FolderChange) => void): () => void;

  close(): Promise<void>;
}
