/**
 * IMAP limits in one place. Each is read from the configuration when the setting exists there
 * (names below, to be added to libs/config); until they are, the environment variable of the same
 * name is read here directly, and then the default, so the server works before the settings are
 * wired (and the benchmark can raise the per-address limit).
 *
 * | setting (env)                          | config key                 | default |
 * | -------------------------------------- | -------------------------- | ------- |
 * | DARWIN_IMAP_MAX_CONNECTIONS_PER_USER   | imapMaxConnectionsPerUser  | 20      |
 * | DARWIN_IMAP_MAX_CONNECTIONS_PER_IP     | imapMaxConnectionsPerIp    | 200     |
 * | DARWIN_IMAP_MAX_FOLDERS                | imapMaxFolders             | 1000    |
 * | DARWIN_IMAP_MAX_FOLDER_DEPTH           | imapMaxFolderDepth         | 16      |
 * | DARWIN_IMAP_MAX_FOLDER_NAME            | imapMaxFolderNameBytes     | 512     |
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

function num(config: Config, key: string, env: string, fallback: number): number {
  const v = (config as unknown as Record<string, unknown>)[key];
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
  const e = process.env[env];
  if (e !== undefined && /^\d{1,9}$/.test(e) && Number(e) > 0) return Number(e);
  return fallback;
}

export function imapLimits(config: Config): ImapLimits {
  const d = DEFAULT_IMAP_LIMITS;
  return {
    ...d,
    maxConnectionsPerUser: num(config, 'imapMaxConnectionsPerUser', 'DARWIN_IMAP_MAX_CONNECTIONS_PER_USER', d.maxConnectionsPerUser),
    maxConnectionsPerIp: num(config, 'imapMaxConnectionsPerIp', 'DARWIN_IMAP_MAX_CONNECTIONS_PER_IP', d.maxConnectionsPerIp),
    maxFolders: num(config, 'imapMaxFolders', 'DARWIN_IMAP_MAX_FOLDERS', d.maxFolders),
    maxFolderDepth: num(config, 'imapMaxFolderDepth', 'DARWIN_IMAP_MAX_FOLDER_DEPTH', d.maxFolderDepth),
    maxFolderNameBytes: num(config, 'imapMaxFolderNameBytes', 'DARWIN_IMAP_MAX_FOLDER_NAME', d.maxFolderNameBytes),
  };
}
