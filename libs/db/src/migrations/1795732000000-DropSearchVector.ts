import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `messages.search_vector` (a tsvector of subject, from and to, GIN-indexed) was written at every
 * delivery and read by nothing: IMAP SEARCH matches substrings in `header_text` and `body_text`.
 * Dropping the column drops its index.
 */
export class DropSearchVector1795732000000 implements MigrationInterface {
  name = 'DropSearchVector1795732000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "messages" DROP COLUMN "search_vector"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "messages" ADD "search_vector" tsvector`);
    await q.query(`CREATE INDEX "IDX_messages_search" ON "messages" USING gin ("search_vector")`);
  }
}
