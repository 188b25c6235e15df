import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ImapEnvelopeWire1795716450358 implements MigrationInterface {
  name = 'ImapEnvelopeWire1795716450358';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "messages" ADD "envelope_imap" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "messages" DROP COLUMN "envelope_imap"`);
  }
}
