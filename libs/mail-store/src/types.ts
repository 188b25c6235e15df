import type { Readable } from 'node:stream';
import type { Envelope, MessageStructure, ParsedMessage } from './mime/structure.js';

/** What the protocol servers need to know about an account to authenticate and authorise it. */
export interface MailboxAccount {
  readonly id: string;
  readonly tenantId: string;
  readonly domainId: string;
  readonly address: string;
  readonly passwordHash: string;
  readonly loginSuspended: boolean;
  readonly sendSuspended: boolean;
  readonly receiveSuspended: boolean;
  readonly outboundBlocked: boolean;
  /** False when the tenant or the domain is suspended: nothing may log in or receive. */
  readonly tenantActive: boolean;
  readonly domainActive: boolean;
  /** Effective protocol switches: the mailbox's override, else the plan's. */
  readonly imapEnabled: boolean;
  readonly pop3Enabled: boolean;
  readonly quotaBytes: number;
  readonly quotaMessages: number | null;
  readonly usedBytes: number;
  readonly usedMessages: number;
  /** The plan's message size limit. */
  readonly maxMessageBytes: number;
}

export interface HostedDomain {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  /** False when the domain or its tenant is suspended. */
  readonly active: boolean;
}

export interface FolderInfo {
  readonly id: string;
  readonly mailboxId: string;
  readonly name: string;
  readonly specialUse: string | null;
  readonly subscribed: boolean;
  readonly uidvalidity: number;
  readonly uidnext: number;
  readonly highestModseq: number;
}

export interface FolderStatus {
  readonly messages: number;
  readonly unseen: number;
  readonly uidnext: number;
  readonly uidvalidity: number;
  readonly highestModseq: number;
  readonly sizeBytes: number;
  /** Messages not yet shown as \Recent to any read-write session (RFC 3501 STATUS RECENT). */
  readonly recent: number;
  /** First UID not yet shown as \Recent (the folder's high-water mark). */
  readonly recentUid: number;
}

/** UIDs a read-write SELECT (or a later poll) took as its \Recent messages: [from, to). */
export interface RecentClaim {
  readonly from: number;
  readonly to: number;
}

/** One message as listed for IMAP and POP3: everything but the bytes. */
export interface MessageSummary {
  readonly id: string;
  readonly uid: number;
  readonly modseq: number;
  readonly flags: readonly string[];
  readonly size: number;
  readonly internalDate: Date;
  readonly blobId: string;
  /** Only when asked for (listMessages with `{ envelope: true }`): ENVELOPE in IMAP wire form. */
  readonly envelopeImap?: string;
  /** Only when asked for (listMessages with `{ structure: true }`). */
  readonly envelope?: Envelope;
  readonly structure?: MessageStructure;
}

export interface ListOptions {
  /** Also return ENVELOPE and the MIME structure (computed at delivery; computed now for older rows). */
  readonly structure?: boolean;
  /** Also return ENVELOPE in IMAP wire form (envelopeImap). */
  readonly envelope?: boolean;
}

/** A byte range of a blob: [start, end). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** What POP3 needs of each INBOX message at login. */
export interface MaildropEntry {
  /** The store's message id: stable for the life of the message (POP3 UIDL). */
  readonly id: string;
  readonly uid: number;
  readonly size: number;
  readonly blobId: string;
  readonly seen: boolean;
}

export interface UidRange {
  /** Inclusive; default 1. */
  readonly from?: number;
  /** Inclusive; default: no upper bound. */
  readonly to?: number;
}

/**
 * A received message, spooled (memory, then a temporary file) while it arrived, with its size and
 * SHA-256 already known. Delivery reads it once per transaction; `dispose` removes the file.
 */
export interface SpooledMessage {
  readonly size: number;
  readonly sha256: Buffer;
  /** The header block (up to the blank line, capped), for the summary fields stored with the message. */
  readonly headerBytes: Buffer;
  /** True when more than the spool's limit arrived; the excess was discarded, not stored. */
  readonly oversize: boolean;
  /** MIME structure, envelope and search text, when the spool parsed the message as it arrived. */
  readonly mime?: ParsedMessage;
  chunks(chunkSize: number): AsyncIterable<Buffer>;
  /** The whole message as one Buffer, when it is held in memory (no copy); absent for a spool file. */
  memory?(): Buffer;
  dispose(): Promise<void>;
}

export interface DeliveryTarget {
  readonly mailboxId: string;
  /** Folder name; default INBOX. */
  readonly folder?: string;
  readonly flags?: readonly string[];
}

export type DeliveryOutcome =
  | { readonly mailboxId: string; readonly status: 'stored'; readonly folderId: string; readonly uid: number; readonly modseq: number; readonly uidvalidity: number; readonly blobId: string }
  | { readonly mailboxId: string; readonly status: 'over_quota' | 'no_mailbox' | 'no_folder' };

/** Remote recipients of a message, queued for the outbound workers in the delivering transaction. */
export interface OutboundRequest {
  readonly tenantId: string;
  /** The sending mailbox (submission), or null for mail the platform itself sends (bounces). */
  readonly mailboxId: string | null;
  /** Envelope sender; '' is the null sender (bounces and other DSNs). */
  readonly mailFrom: string;
  readonly recipients: readonly { readonly address: string; readonly dsn?: Readonly<Record<string, unknown>> }[];
  /** Message-wide RFC 3461 parameters (RET, ENVID), merged into each row's dsn. */
  readonly dsn?: Readonly<Record<string, unknown>>;
  /** Default: five days from now. */
  readonly expiresAt?: Date;
  /** Count the message in the sending mailbox's daily "sent" figures (submissions, not forwards). */
  readonly countAsSent?: boolean;
}

export interface AcceptRequest {
  readonly targets: readonly DeliveryTarget[];
  /** Remote recipients; several groups when their queue rows differ in sender or mailbox (forwards of several mailboxes). */
  readonly outbound?: OutboundRequest | readonly OutboundRequest[];
}

export interface AcceptResult {
  /** One outcome per target, in the order given. */
  readonly local: DeliveryOutcome[];
  /** Ids of the outbound_queue rows created, one per outbound recipient. */
  readonly queued: string[];
}

export interface DeliveryOptions {
  readonly internalDate?: Date;
  /** Count the message in the mailbox's daily "received" statistics (SMTP delivery, not IMAP APPEND). */
  readonly countAsReceived?: boolean;
  /** Count the message in this mailbox's daily "sent" figures even without outbound rows (a submission to local recipients only). */
  readonly countAsSentBy?: { readonly mailboxId: string; readonly tenantId: string };
}

export type FlagMode = 'set' | 'add' | 'remove';

export interface FlagUpdate {
  readonly uid: number;
  readonly flags: readonly string[];
  readonly modseq: number;
}

export interface ExpungeOptions {
  /** Only these UIDs (POP3 DELE, UID EXPUNGE); without it, every message of the folder. */
  readonly uids?: readonly number[];
  /** Only messages flagged \Deleted (IMAP EXPUNGE/CLOSE). */
  readonly onlyDeleted: boolean;
}

export type FolderChangeKind = 'append' | 'flags' | 'expunge' | 'folder';

/** Sent after commit to every process; listeners re-read what changed since their last modseq. */
export interface FolderChange {
  readonly folderId: string;
  readonly kind: FolderChangeKind;
  readonly modseq: number;
}

/** Exclusive access to a mailbox's maildrop (POP3), held until released or the process dies. */
export interface MaildropLock {
  release(): Promise<void>;
}

export type BlobStream = Readable;

export interface StoreFlagsOptions {
  /** RFC 7162 UNCHANGEDSINCE: messages whose modseq is above it are left alone and reported. */
  readonly unchangedSince?: number;
}

export interface StoreFlagsResult {
  /** Messages whose flags changed, with the new modseq. */
  readonly updated: FlagUpdate[];
  /** UIDs refused because of UNCHANGEDSINCE (RFC 7162 MODIFIED). */
  readonly modified: number[];
}

/** What SELECT needs, computed in the database: the UIDs, the first unseen UID, the keywords in use. */
export interface FolderSnapshot {
  readonly uids: number[];
  readonly firstUnseenUid?: number;
  readonly keywords: string[];
}

export interface ExpungedUid {
  readonly uid: number;
  readonly modseq: number;
}

/** UIDs expunged since a modseq, and whether the record still reaches back that far. */
export interface ExpungedSince {
  readonly uids: readonly ExpungedUid[];
  /**
   * False when records newer than the modseq were pruned (DARWIN_EXPUNGED_RETENTION): some
   * expunges are then missing from `uids`, and the caller compares UIDs instead.
   */
  readonly complete: boolean;
  /** The folder's pruning horizon: every modseq up to it may have lost its records. */
  readonly horizon: number;
}

export type CopyResult =
  | { readonly status: 'done'; readonly uidvalidity: number; readonly pairs: readonly (readonly [number, number])[] }
  | { readonly status: 'over_quota' | 'no_folder' };

export type CreateFolderResult = { readonly status: 'created'; readonly folder: FolderInfo } | { readonly status: 'exists' | 'too_many' };
export type RenameFolderResult = { readonly status: 'renamed' | 'nonexistent' | 'exists' | 'too_many' };

export interface FolderLimits {
  /** Folders per mailbox. */
  readonly maxFolders: number;
}
