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
  internal_date: Date;
  blob_id: string;
  sha256: Buffer;
}

export const MESSAGE_COLUMNS = 'm.id, m.uid, m.modseq, m.flags, m.size, m.internal_date, m.blob_id, b.sha256';

export function toMessage(r: MessageRow): MessageSummary {
  return {
    id: r.id,
    uid: Number(r.uid),
    modseq: Number(r.modseq),
    flags: r.flags,
    size: Number(r.size),
    internalDate: r.internal_date,
    blobId: r.blob_id,
    sha256: r.sha256.toString('hex'),
  };
}
