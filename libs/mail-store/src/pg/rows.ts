import type { FolderInfo, MessageSummary } from '../types.js';

export interface FolderRow {
  id: string;
  mailbox_id: string;
  name: string;
  special_use: string | null;
  subscribed: boolean;
  uidvalidity: string;
  uidnext: string;
  highest_modseq: string;
}

export const FOLDER_COLUMNS = 'id, mailbox_id, name, special_use, subscribed, uidvalidity, uidnext, highest_modseq';

export function toFolder(r: FolderRow): FolderInfo {
  return {
    id: r.id,
    mailboxId: r.mailbox_id,
    name: r.name,
    specialUse: r.special_use,
    subscribed: r.subscribed,
    uidvalidity: Number(r.uidvalidity),
    uidnext: Number(r.uidnext),
    highestModseq: Number(r.highest_modseq),
  };
}

export interface MessageRow {
  id: string;
  uid: string;
  modseq: string;
  flags: string[];
  size: string;
  /** Milliseconds since the epoch: cheaper to read than a timestamp's text (thousands of rows per FETCH). */
  internal_ms: string;
  blob_id: string;
}

export const MESSAGE_COLUMNS =
"m.id, m.uid, m.modseq, m.flags, m.size, floor(extract(epoch FROM m.internal_date) * 1000)::bigint AS internal_ms, m.blob_id";

export function toMessage(r: MessageRow): MessageSummary {
  return {
    id: r.id,
    uid: Number(r.uid),
    modseq: Number(r.modseq),
    flags: r.flags,
    size: Number(r.size),
    internalDate: new Date(Number(r.internal_ms)),
    blobId: r.blob_id,
  };
}
