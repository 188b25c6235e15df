import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ApiAuthSessions1795712886289 implements MigrationInterface {
  name = 'ApiAuthSessions1795712886289';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "operator_recovery_codes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "operator_id" uuid NOT NULL, "code_hash" character varying(64) NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4e83e2649785cc88dd336841d81" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_cf91988529c8c59cb519e17d15" ON "operator_recovery_codes"  ("operator_id") `);
    await q.query(`CREATE TABLE "refresh_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "family_id" uuid NOT NULL, "token_hash" character varying(64) NOT NULL, "operator_id" uuid, "mailbox_id" uuid, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "ip" inet, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_a7838d2ba25be1342091b6695f1" UNIQUE ("token_hash"), CONSTRAINT "CHK_refresh_tokens_owner" CHECK ((operator_id IS NOT NULL AND mailbox_id IS NULL) OR (operator_id IS NULL AND mailbox_id IS NOT NULL)), CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_d5e27da0cd39bc3bb2811fc8ba" ON "refresh_tokens"  ("family_id") `);
    await q.query(`CREATE INDEX "IDX_88cf6ae127b327bae5bf4f9b40" ON "refresh_tokens"  ("operator_id") `);
    await q.query(`CREATE INDEX "IDX_d238811c8da8e093a5f0a6c4dc" ON "refresh_tokens"  ("mailbox_id") `);
    await q.query(`ALTER TABLE "operators" ADD "totp_last_step" bigint`);
    await q.query(`ALTER TABLE "operator_recovery_codes" ADD CONSTRAINT "FK_cf91988529c8c59cb519e17d15d" FOREIGN KEY ("operator_id") REFERENCES "operators"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "refresh_tokens" ADD CONSTRAINT "FK_88cf6ae127b327bae5bf4f9b403" FOREIGN KEY ("operator_id") REFERENCES "operators"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "refresh_tokens" ADD CONSTRAINT "FK_d238811c8da8e093a5f0a6c4dcb" FOREIGN KEY ("mailbox_id") REFERENCES "mailboxes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "refresh_tokens" DROP CONSTRAINT "FK_d238811c8da8e093a5f0a6c4dcb"`);
    await q.query(`ALTER TABLE "refresh_tokens" DROP CONSTRAINT "FK_88cf6ae127b327bae5bf4f9b403"`);
    await q.query(`ALTER TABLE "operator_recovery_codes" DROP CONSTRAINT "FK_cf91988529c8c59cb519e17d15d"`);
    await q.query(`ALTER TABLE "operators" DROP COLUMN "totp_last_step"`);
    await q.query(`DROP INDEX "public"."IDX_d238811c8da8e093a5f0a6c4dc"`);
    await q.query(`DROP INDEX "public"."IDX_88cf6ae127b327bae5bf4f9b40"`);
    await q.query(`DROP INDEX "public"."IDX_d5e27da0cd39bc3bb2811fc8ba"`);
    await q.query(`DROP TABLE "refresh_tokens"`);
    await q.query(`DROP INDEX "public"."IDX_cf91988529c8c59cb519e17d15"`);
    await q.query(`DROP TABLE "operator_recovery_codes"`);
  }
}
