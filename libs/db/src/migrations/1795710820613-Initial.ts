import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The whole model of ARCHITECTURE.md (generated from the entities, plus the SQL-only parts at the end of up). */

export class Initial1795710820613 implements MigrationInterface {
  name = 'Initial1795710820613';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "plans" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(100) NOT NULL, "max_domains" integer NOT NULL, "max_mailboxes" integer NOT NULL, "max_aliases" integer NOT NULL, "storage_bytes" bigint NOT NULL, "default_mailbox_quota_bytes" bigint NOT NULL, "max_mailbox_quota_bytes" bigint NOT NULL, "max_message_bytes" bigint NOT NULL, "send_per_minute" integer NOT NULL, "send_per_hour" integer NOT NULL, "send_per_day" integer NOT NULL, "max_recipients_per_message" integer NOT NULL, "imap_enabled" boolean NOT NULL DEFAULT true, "pop3_enabled" boolean NOT NULL DEFAULT true, CONSTRAINT "UQ_253d25dae4c94ee913bc5ec4850" UNIQUE ("name"), CONSTRAINT "CHK_plans_limits" CHECK (max_domains >= 0 AND max_mailboxes >= 0 AND max_aliases >= 0 AND storage_bytes >= 0
  AND default_mailbox_quota_bytes >= 0 AND max_mailbox_quota_bytes >= default_mailbox_quota_bytes
  AND max_message_bytes > 0 AND send_per_minute >= 0 AND send_per_hour >= 0 AND send_per_day >= 0
  AND max_recipients_per_message > 0), CONSTRAINT "PK_3720521a81c7c24fe9b7202ba61" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "tenants" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "external_id" character varying(200), "plan_id" uuid NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'active', "suspension_reason" text, CONSTRAINT "CHK_tenants_status" CHECK (status IN ('active', 'suspended')), CONSTRAINT "PK_53be67a04681c66b87ee27c9321" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "IDX_c03ff7a4de2cf479a6f2280bde" ON "tenants"  ("external_id") `);
    await q.query(`CREATE INDEX "IDX_919d143d2411832db812bbc600" ON "tenants"  ("plan_id") `);
    await q.query(`CREATE TABLE "domains" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "name" character varying(253) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'active', "suspension_reason" text, "dkim_selector" character varying(63), "dkim_private_key" text, "dkim_public_key" text, "dns_status" jsonb NOT NULL DEFAULT '{}', "dns_checked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_f36af68a2defaa8ae5fdd9b5640" UNIQUE ("name"), CONSTRAINT "CHK_domains_status" CHECK (status IN ('active', 'suspended')), CONSTRAINT "CHK_domains_name_lower" CHECK (name = lower(name)), CONSTRAINT "PK_05a6b087662191c2ea7f7ddfc4d" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_0c7ffd1abf825ccaf4a2950695" ON "domains"  ("tenant_id") `);
    await q.query(`CREATE TABLE "mailboxes" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "domain_id" uuid NOT NULL, "local_part" character varying(64) NOT NULL, "address" character varying(254) NOT NULL, "password_hash" text NOT NULL, "display_name" character varying(200), "quota_bytes" bigint NOT NULL, "quota_messages" integer, "used_bytes" bigint NOT NULL DEFAULT '0', "used_messages" integer NOT NULL DEFAULT '0', "login_suspended" boolean NOT NULL DEFAULT false, "send_suspended" boolean NOT NULL DEFAULT false, "receive_suspended" boolean NOT NULL DEFAULT false, "suspension_reason" text, "outbound_blocked_at" TIMESTAMP WITH TIME ZONE, "outbound_blocked_reason" text, "forward_to" text array NOT NULL DEFAULT '{}', "forward_keep_copy" boolean NOT NULL DEFAULT true, "vacation_enabled" boolean NOT NULL DEFAULT false, "vacation_subject" text, "vacation_body" text, "vacation_starts_at" TIMESTAMP WITH TIME ZONE, "vacation_ends_at" TIMESTAMP WITH TIME ZONE, "imap_enabled" boolean, "pop3_enabled" boolean, "send_per_minute" integer, "send_per_hour" integer, "send_per_day" integer, "last_login_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_288e74dca7ea13e221670cea1b4" UNIQUE ("address"), CONSTRAINT "CHK_mailboxes_usage" CHECK (used_bytes >= 0 AND used_messages >= 0 AND quota_bytes >= 0 AND (quota_messages IS NULL OR quota_messages >= 0)), CONSTRAINT "CHK_mailboxes_address_lower" CHECK (address = lower(address) AND local_part = lower(local_part)), CONSTRAINT "PK_1471bf7ef6d7f1279fbbdf89a1d" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_9f26333b487a2d2b0b5a890459" ON "mailboxes"  ("tenant_id") `);
    await q.query(`CREATE UNIQUE INDEX "IDX_mailboxes_domain_local" ON "mailboxes"  ("domain_id", "local_part") `);
    await q.query(`CREATE TABLE "abuse_events" ("id" BIGSERIAL NOT NULL, "tenant_id" uuid, "mailbox_id" uuid, "kind" character varying(64) NOT NULL, "details" jsonb NOT NULL DEFAULT '{}', "ip" inet, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "resolved_at" TIMESTAMP WITH TIME ZONE, "resolved_by" character varying(254), CONSTRAINT "PK_99bc050d15af286240ce9f1e7ab" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_ed681be188cf278ae9c5525e9e" ON "abuse_events"  ("mailbox_id") `);
    await q.query(`CREATE INDEX "IDX_abuse_events_open" ON "abuse_events"  ("created_at") WHERE resolved_at IS NULL`);
    await q.query(`CREATE INDEX "IDX_abuse_events_tenant_time" ON "abuse_events"  ("tenant_id", "created_at") `);
    await q.query(`CREATE TABLE "aliases" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "domain_id" uuid NOT NULL, "source" character varying(254) NOT NULL, "destinations" text array NOT NULL, "enabled" boolean NOT NULL DEFAULT true, CONSTRAINT "UQ_54467c97a27278c066a7355eae0" UNIQUE ("source"), CONSTRAINT "CHK_aliases_destinations" CHECK (cardinality(destinations) >= 1), CONSTRAINT "CHK_aliases_source_lower" CHECK (source = lower(source)), CONSTRAINT "PK_491dee804efb858cdf15a44371d" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_81ad911cb1983fc0be06b406f5" ON "aliases"  ("tenant_id") `);
    await q.query(`CREATE INDEX "IDX_805f1b7372b560f56ea2f5e1c2" ON "aliases"  ("domain_id") `);
    await q.query(`CREATE TABLE "operators" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" character varying(254) NOT NULL, "password_hash" text NOT NULL, "display_name" character varying(200), "role" character varying(32) NOT NULL, "tenant_id" uuid, "totp_secret" text, "totp_enabled" boolean NOT NULL DEFAULT false, "failed_logins" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "last_login_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_1570f3d85c3ff08bb99815897a2" UNIQUE ("email"), CONSTRAINT "CHK_operators_role_tenant" CHECK ((role = 'platform_admin' AND tenant_id IS NULL) OR (role = 'tenant_admin' AND tenant_id IS NOT NULL)), CONSTRAINT "CHK_operators_email_lower" CHECK (email = lower(email)), CONSTRAINT "PK_3d02b3692836893720335a79d1b" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_66f8e82456430824f371a1c9b1" ON "operators"  ("tenant_id") `);
    await q.query(`CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(100) NOT NULL, "prefix" character varying(24) NOT NULL, "secret_hash" character varying(64) NOT NULL, "scope" character varying(16) NOT NULL, "tenant_id" uuid, "created_by_id" uuid, "expires_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_6f6105c8efe05b310d046cbdb3d" UNIQUE ("prefix"), CONSTRAINT "CHK_api_keys_scope" CHECK ((scope = 'platform' AND tenant_id IS NULL) OR (scope = 'tenant' AND tenant_id IS NOT NULL)), CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_3ac18429c8d27858d79432e0dd" ON "api_keys"  ("tenant_id") `);
    await q.query(`CREATE TABLE "audit_log" ("id" BIGSERIAL NOT NULL, "actor_type" character varying(16) NOT NULL, "actor_id" character varying(64), "actor_label" character varying(254) NOT NULL, "tenant_id" uuid, "action" character varying(100) NOT NULL, "target_type" character varying(50) NOT NULL, "target_id" character varying(64), "before" jsonb, "after" jsonb, "ip" inet, "request_id" character varying(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_audit_actor_type" CHECK (actor_type IN ('operator', 'mailbox', 'api_key', 'system')), CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_audit_actor" ON "audit_log"  ("actor_id", "created_at") `);
    await q.query(`CREATE INDEX "IDX_audit_target" ON "audit_log"  ("target_type", "target_id") `);
    await q.query(`CREATE INDEX "IDX_audit_tenant_time" ON "audit_log"  ("tenant_id", "created_at") `);
    await q.query(`CREATE TABLE "blobs" ("id" BIGSERIAL NOT NULL, "sha256" bytea NOT NULL, "size" bigint NOT NULL, "refcount" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_bf448430f9a07c61c2eb85de185" UNIQUE ("sha256"), CONSTRAINT "CHK_blobs_counts" CHECK (size >= 0 AND refcount >= 0), CONSTRAINT "CHK_blobs_sha256" CHECK (octet_length(sha256) = 32), CONSTRAINT "PK_fe61649fa345f685eb31b949e4c" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "blob_chunks" ("blob_id" bigint NOT NULL, "seq" integer NOT NULL, "data" bytea NOT NULL, CONSTRAINT "PK_039f8f0b6cfaf127b43961e2320" PRIMARY KEY ("blob_id", "seq"))`);
    await q.query(`CREATE TABLE "folders" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "mailbox_id" uuid NOT NULL, "name" character varying(1024) NOT NULL, "special_use" character varying(16), "subscribed" boolean NOT NULL DEFAULT true, "uidvalidity" bigint NOT NULL, "uidnext" bigint NOT NULL DEFAULT '1', "highest_modseq" bigint NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_folders_counters" CHECK (uidnext >= 1 AND highest_modseq >= 1 AND uidvalidity >= 1 AND uidvalidity <= 4294967295), CONSTRAINT "PK_8578bd31b0e7f6d6c2480dbbca8" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "IDX_folders_mailbox_name" ON "folders"  ("mailbox_id", "name") `);
    await q.query(`CREATE TABLE "messages" ("id" BIGSERIAL NOT NULL, "folder_id" uuid NOT NULL, "mailbox_id" uuid NOT NULL, "uid" bigint NOT NULL, "modseq" bigint NOT NULL, "flags" text array NOT NULL DEFAULT '{}', "internal_date" TIMESTAMP WITH TIME ZONE NOT NULL, "size" bigint NOT NULL, "blob_id" bigint NOT NULL, "envelope" jsonb, "bodystructure" jsonb, "subject" text, "from_addr" text, "to_addr" text, "message_id" text, "sent_date" TIMESTAMP WITH TIME ZONE, "search_vector" tsvector, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_messages_numbers" CHECK (uid >= 1 AND modseq >= 1 AND size >= 0), CONSTRAINT "PK_18325f38ae6de43878487eff986" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_ba93901e8118b25e339a9d7c29" ON "messages"  ("mailbox_id") `);
    await q.query(`CREATE INDEX "IDX_d590bc2cb629a5828411f584ae" ON "messages"  ("blob_id") `);
    await q.query(`CREATE INDEX "IDX_messages_folder_modseq" ON "messages"  ("folder_id", "modseq") `);
    await q.query(`CREATE UNIQUE INDEX "IDX_messages_folder_uid" ON "messages"  ("folder_id", "uid") `);
    await q.query(`CREATE TABLE "outbound_queue" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" BIGSERIAL NOT NULL, "tenant_id" uuid NOT NULL, "mailbox_id" uuid, "blob_id" bigint NOT NULL, "mail_from" character varying(254) NOT NULL, "rcpt_to" character varying(254) NOT NULL, "rcpt_domain" character varying(253) NOT NULL, "dsn" jsonb NOT NULL DEFAULT '{}', "state" character varying(16) NOT NULL DEFAULT 'queued', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "lease_until" TIMESTAMP WITH TIME ZONE, "leased_by" character varying(100), "last_error" text, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "CHK_outbound_state" CHECK (state IN ('queued', 'deferred', 'sending', 'sent', 'bounced', 'cancelled')), CONSTRAINT "PK_85dd4b9e23c22b215c2afedc4e5" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_3fb3cf019dc1dbc74411782014" ON "outbound_queue"  ("tenant_id") `);
    await q.query(`CREATE INDEX "IDX_3bece64a902d3956d697bdc645" ON "outbound_queue"  ("mailbox_id") `);
    await q.query(`CREATE INDEX "IDX_0be5d36bd44cace8f000036ea5" ON "outbound_queue"  ("blob_id") `);
    await q.query(`CREATE INDEX "IDX_outbound_due" ON "outbound_queue"  ("next_attempt_at") WHERE state IN ('queued', 'deferred')`);
    await q.query(`ALTER TABLE "tenants" ADD CONSTRAINT "FK_919d143d2411832db812bbc600e" FOREIGN KEY ("plan_id") REFERENCES "plans"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "domains" ADD CONSTRAINT "FK_0c7ffd1abf825ccaf4a29506959" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "mailboxes" ADD CONSTRAINT "FK_9f26333b487a2d2b0b5a8904593" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "mailboxes" ADD CONSTRAINT "FK_9b6cb067f11e2f07e84d9173856" FOREIGN KEY ("domain_id") REFERENCES "domains"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "abuse_events" ADD CONSTRAINT "FK_462451cbb3314819ac5e8d14903" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "abuse_events" ADD CONSTRAINT "FK_ed681be188cf278ae9c5525e9ec" FOREIGN KEY ("mailbox_id") REFERENCES "mailboxes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "aliases" ADD CONSTRAINT "FK_81ad911cb1983fc0be06b406f5e" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "aliases" ADD CONSTRAINT "FK_805f1b7372b560f56ea2f5e1c23" FOREIGN KEY ("domain_id") REFERENCES "domains"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "operators" ADD CONSTRAINT "FK_66f8e82456430824f371a1c9b1f" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "api_keys" ADD CONSTRAINT "FK_3ac18429c8d27858d79432e0dda" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "api_keys" ADD CONSTRAINT "FK_3afd227c6cb003779abe2a88b4e" FOREIGN KEY ("created_by_id") REFERENCES "operators"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "blob_chunks" ADD CONSTRAINT "FK_f63333f355567eb8b2c26bdadac" FOREIGN KEY ("blob_id") REFERENCES "blobs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "folders" ADD CONSTRAINT "FK_ab86f431eaec6a716ce8c0f1e7b" FOREIGN KEY ("mailbox_id") REFERENCES "mailboxes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "messages" ADD CONSTRAINT "FK_b7a79f5da348b49ba1c62761a21" FOREIGN KEY ("folder_id") REFERENCES "folders"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "messages" ADD CONSTRAINT "FK_ba93901e8118b25e339a9d7c295" FOREIGN KEY ("mailbox_id") REFERENCES "mailboxes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "messages" ADD CONSTRAINT "FK_d590bc2cb629a5828411f584aea" FOREIGN KEY ("blob_id") REFERENCES "blobs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "outbound_queue" ADD CONSTRAINT "FK_3fb3cf019dc1dbc744117820149" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "outbound_queue" ADD CONSTRAINT "FK_3bece64a902d3956d697bdc6458" FOREIGN KEY ("mailbox_id") REFERENCES "mailboxes"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "outbound_queue" ADD CONSTRAINT "FK_0be5d36bd44cace8f000036ea52" FOREIGN KEY ("blob_id") REFERENCES "blobs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    // What the entities cannot express (and the schema diff therefore does not compare):
    // full-text search index, append-only audit log, uncompressed blob chunks.
    await q.query(`CREATE INDEX "IDX_messages_search" ON "messages" USING gin ("search_vector")`);
    await q.query(`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP; END $$`);
    await q.query(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
    // Mail bodies are mostly already compressed (attachments) or small; skipping pglz saves CPU on every read.
    await q.query(`ALTER TABLE "blob_chunks" ALTER COLUMN "data" SET STORAGE EXTERNAL`);
    // UIDVALIDITY source: starts at this epoch second and only grows, so no folder ever reuses one.
    await q.query(`DO $$ BEGIN EXECUTE format('CREATE SEQUENCE folder_uidvalidity_seq START %s MAXVALUE 4294967295', extract(epoch FROM now())::bigint); END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SEQUENCE folder_uidvalidity_seq`);
    await q.query(`DROP TRIGGER audit_log_no_truncate ON "audit_log"`);
    await q.query(`DROP TRIGGER audit_log_no_update ON "audit_log"`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
    await q.query(`DROP INDEX "IDX_messages_search"`);
    await q.query(`ALTER TABLE "outbound_queue" DROP CONSTRAINT "FK_0be5d36bd44cace8f000036ea52"`);
    await q.query(`ALTER TABLE "outbound_queue" DROP CONSTRAINT "FK_3bece64a902d3956d697bdc6458"`);
    await q.query(`ALTER TABLE "outbound_queue" DROP CONSTRAINT "FK_3fb3cf019dc1dbc744117820149"`);
    await q.query(`ALTER TABLE "messages" DROP CONSTRAINT "FK_d590bc2cb629a5828411f584aea"`);
    await q.query(`ALTER TABLE "messages" DROP CONSTRAINT "FK_ba93901e8118b25e339a9d7c295"`);
    await q.query(`ALTER TABLE "messages" DROP CONSTRAINT "FK_b7a79f5da348b49ba1c62761a21"`);
    await q.query(`ALTER TABLE "folders" DROP CONSTRAINT "FK_ab86f431eaec6a716ce8c0f1e7b"`);
    await q.query(`ALTER TABLE "blob_chunks" DROP CONSTRAINT "FK_f63333f355567eb8b2c26bdadac"`);
    await q.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "FK_3afd227c6cb003779abe2a88b4e"`);
    await q.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "FK_3ac18429c8d27858d79432e0dda"`);
    await q.query(`ALTER TABLE "operators" DROP CONSTRAINT "FK_66f8e82456430824f371a1c9b1f"`);
    await q.query(`ALTER TABLE "aliases" DROP CONSTRAINT "FK_805f1b7372b560f56ea2f5e1c23"`);
    await q.query(`ALTER TABLE "aliases" DROP CONSTRAINT "FK_81ad911cb1983fc0be06b406f5e"`);
    await q.query(`ALTER TABLE "abuse_events" DROP CONSTRAINT "FK_ed681be188cf278ae9c5525e9ec"`);
    await q.query(`ALTER TABLE "abuse_events" DROP CONSTRAINT "FK_462451cbb3314819ac5e8d14903"`);
    await q.query(`ALTER TABLE "mailboxes" DROP CONSTRAINT "FK_9b6cb067f11e2f07e84d9173856"`);
    await q.query(`ALTER TABLE "mailboxes" DROP CONSTRAINT "FK_9f26333b487a2d2b0b5a8904593"`);
    await q.query(`ALTER TABLE "domains" DROP CONSTRAINT "FK_0c7ffd1abf825ccaf4a29506959"`);
    await q.query(`ALTER TABLE "tenants" DROP CONSTRAINT "FK_919d143d2411832db812bbc600e"`);
    await q.query(`DROP INDEX "public"."IDX_outbound_due"`);
    await q.query(`DROP INDEX "public"."IDX_0be5d36bd44cace8f000036ea5"`);
    await q.query(`DROP INDEX "public"."IDX_3bece64a902d3956d697bdc645"`);
    await q.query(`DROP INDEX "public"."IDX_3fb3cf019dc1dbc74411782014"`);
    await q.query(`DROP TABLE "outbound_queue"`);
    await q.query(`DROP INDEX "public"."IDX_messages_folder_uid"`);
    await q.query(`DROP INDEX "public"."IDX_messages_folder_modseq"`);
    await q.query(`DROP INDEX "public"."IDX_d590bc2cb629a5828411f584ae"`);
    await q.query(`DROP INDEX "public"."IDX_ba93901e8118b25e339a9d7c29"`);
    await q.query(`DROP TABLE "messages"`);
    await q.query(`DROP INDEX "public"."IDX_folders_mailbox_name"`);
    await q.query(`DROP TABLE "folders"`);
    await q.query(`DROP TABLE "blob_chunks"`);
    await q.query(`DROP TABLE "blobs"`);
    await q.query(`DROP INDEX "public"."IDX_audit_tenant_time"`);
    await q.query(`DROP INDEX "public"."IDX_audit_target"`);
    await q.query(`DROP INDEX "public"."IDX_audit_actor"`);
    await q.query(`DROP TABLE "audit_log"`);
    await q.query(`DROP INDEX "public"."IDX_3ac18429c8d27858d79432e0dd"`);
    await q.query(`DROP TABLE "api_keys"`);
    await q.query(`DROP INDEX "public"."IDX_66f8e82456430824f371a1c9b1"`);
    await q.query(`DROP TABLE "operators"`);
    await q.query(`DROP INDEX "public"."IDX_805f1b7372b560f56ea2f5e1c2"`);
    await q.query(`DROP INDEX "public"."IDX_81ad911cb1983fc0be06b406f5"`);
    await q.query(`DROP TABLE "aliases"`);
    await q.query(`DROP INDEX "public"."IDX_abuse_events_tenant_time"`);
    await q.query(`DROP INDEX "public"."IDX_abuse_events_open"`);
    await q.query(`DROP INDEX "public"."IDX_ed681be188cf278ae9c5525e9e"`);
    await q.query(`DROP TABLE "abuse_events"`);
    await q.query(`DROP INDEX "public"."IDX_mailboxes_domain_local"`);
    await q.query(`DROP INDEX "public"."IDX_9f26333b487a2d2b0b5a890459"`);
    await q.query(`DROP TABLE "mailboxes"`);
    await q.query(`DROP INDEX "public"."IDX_0c7ffd1abf825ccaf4a2950695"`);
    await q.query(`DROP TABLE "domains"`);
    await q.query(`DROP INDEX "public"."IDX_919d143d2411832db812bbc600"`);
    await q.query(`DROP INDEX "public"."IDX_c03ff7a4de2cf479a6f2280bde"`);
    await q.query(`DROP TABLE "tenants"`);
    await q.query(`DROP TABLE "plans"`);
  }
}
