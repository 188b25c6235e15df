import { hashPassword, parseAddress } from '@darwin/core';
import type { DataSource } from 'typeorm';
import { createDefaultFolders } from './folders.js';

export interface SeedMailboxOptions {
  readonly address: string;
  readonly password: string;
  readonly quotaBytes?: number;
  readonly quotaMessages?: number | null;
}

export interface SeededMailbox {
  readonly tenantId: string;
  readonly domainId: string;
  readonly mailboxId: string;
  readonly address: string;
}

/**
 * Test and benchmark setup: a plan, tenant and domain (reused when the domain exists) and a mailbox
 * with its default folders, written with plain SQL so tests exercise the same rows the API writes.
 */
export async function seedMailbox(ds: DataSource, opts: SeedMailboxOptions): Promise<SeededMailbox> {
  const a = parseAddress(opts.address);
  if (!a) throw new Error(`invalid address ${opts.address}`);
  const hash = await hashPassword(opts.password);
  return ds.transaction(async (m) => {
    let [domain] = (await m.query('SELECT id, tenant_id FROM domains WHERE name = $1', [a.domain])) as { id: string; tenant_id: string }[];
    if (!domain) {
      const [plan] = (await m.query(
        `INSERT INTO plans (name, max_domains, max_mailboxes, max_aliases, storage_bytes, default_mailbox_quota_bytes,
           max_mailbox_quota_bytes, max_message_bytes, send_per_minute, send_per_hour, send_per_day, max_recipients_per_message)
         VALUES ($1, 100, 10000, 1000, $2, 1073741824, 1099511627776, 52428800, 100, 1000, 10000, 100) RETURNING id`,
        [`test-plan-${a.domain}`, 1024 ** 5],
      )) as { id: string }[];
      const [tenant] = (await m.query('INSERT INTO tenants (name, plan_id) VALUES ($1, $2) RETURNING id', [`tenant of ${a.domain}`, plan!.id])) as { id: string }[];
      [domain] = (await m.query('INSERT INTO domains (tenant_id, name) VALUES ($1, $2) RETURNING id, tenant_id', [tenant!.id, a.domain])) as {
        id: string;
        tenant_id: string;
      }[];
    }
    const [mb] = (await m.query(
      `INSERT INTO mailboxes (tenant_id, domain_id, local_part, address, password_hash, quota_bytes, quota_messages)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [domain!.tenant_id, domain!.id, a.localPart, a.address, hash, opts.quotaBytes ?? 1024 ** 3, opts.quotaMessages ?? null],
    )) as { id: string }[];
    await createDefaultFolders(m, mb!.id);
    return { tenantId: domain!.tenant_id, domainId: domain!.id, mailboxId: mb!.id, address: a.address };
  });
}
