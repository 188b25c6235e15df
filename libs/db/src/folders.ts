import { DEFAULT_FOLDERS } from '@darwin/core';

/** Anything that runs parameterised SQL: a TypeORM EntityManager or QueryRunner, or a pg client. */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Creates the standard folders of a new mailbox (INBOX, Drafts, Sent, Trash, Junk). UIDVALIDITY
 * comes from a sequence that started at the epoch second of the first migration, so a folder
 * deleted and re-created never reuses one (RFC 3501 2.3.1.1).
 */
export async function createDefaultFolders(db: SqlRunner, mailboxId: string): Promise<void> {
  await db.query(
    `INSERT INTO folders (mailbox_id, name, special_use, uidvalidity)
     SELECT $1, f.name, f.special_use, nextval('folder_uidvalidity_seq')
       FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS f(name, special_use, ord)
      ORDER BY f.ord`,
    [mailboxId, DEFAULT_FOLDERS.map((f) => f.name), DEFAULT_FOLDERS.map((f) => f.specialUse)],
  );
}
