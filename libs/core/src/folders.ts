/** Folders every new mailbox gets, with their RFC 6154 special-use attribute. */
export const DEFAULT_FOLDERS: readonly { readonly name: string; readonly specialUse: string | null }[] = [
  { name: 'INBOX', specialUse: null },
  { name: 'Drafts', specialUse: '\\Drafts' },
  { name: 'Sent', specialUse: '\\Sent' },
  { name: 'Trash', specialUse: '\\Trash' },
  { name: 'Junk', specialUse: '\\Junk' },
];

/** IMAP system flags (RFC 3501 2.3.2); \Recent is session state and never stored. */
export const SYSTEM_FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'] as const;
