import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * \Recent (RFC 3501 2.3.2) as a per-folder high-water mark. Existing folders start with nothing
 * recent, so an upgrade does not flag a whole mailbox as new.
 */
export class ImapRecent1795730000000 implements MigrationInterface {
  name = 'ImapRecent1795730000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "folders" ADD "recent_uid" bigint NOT NULL DEFAULT '1'`);
    await q.query(`UPDATE "folders" SET "recent_uid" = "uidnext"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "folders" DROP COLUMN "recent_uid"`);
  }
}
