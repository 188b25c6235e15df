/**
 * IMAP limits in one place, from the configuration (DARWIN_IMAP_MAX_CONNECTIONS_PER_USER,
 * _PER_IP, DARWIN_IMAP_MAX_FOLDERS, _FOLDER_DEPTH, _FOLDER_NAME) plus fixed protocol limits.
 */
import type { Config } from '@darwin/config';

export interface ImapLimits {
  readonly maxConnectionsPerUser: number;
  readonly maxConnectionsPerIp: number;
  /** Folders per mailbox. */
  readonly maxFolders: number;
  /** Components of a folder name ("a/b/c" has 3). */
  readonly maxFolderDepth: number;
  /** UTF-8 bytes of a whole folder name (the column holds 1024 characters). */
  readonly maxFolderNameBytes: number;
  /** Bytes of one name component. */
  readonly maxFolderComponentBytes: number;
  /** Nesting of parenthesised lists in a command (SEARCH, FETCH). */
  readonly maxNesting: number;
}

export const DEFAULT_IMAP_LIMITS: ImapLimits = {
  maxConnectionsPerUser: 20,
  maxConnectionsPerIp: 200,
  maxFolders: 1000,
  maxFolderDepth: 16,
  maxFolderNameBytes: 512,
  maxFolderComponentBytes: 255,
  maxNesting: 16,
};

export function imapLimits(config: Config): ImapLimits {
  const d = DEFAULT_IMAP_LIMITS;
  return {
    ...d,
    maxConnectionsPerUser: config.imapMaxConnectionsPerUser,
    maxConnectionsPerIp: config.imapMaxConnectionsPerIp,
    maxFolders: config.imapMaxFolders,
    maxFolderDepth: config.imapMaxFolderDepth,
    maxFolderNameBytes: config.imapMaxFolderNameBytes,
  };
}
