import type pg from 'pg';
import type { MailboxAccount } from '../types.js';

const SELECT_ACCOUNT = `
  SELECT m.id, m.tenant_id, m.domain_id, m.address, m.password_hash,
         m.login_suspended, m.send_suspended, m.receive_suspended, m.outbound_blocked_at IS NOT NULL AS outbound_blocked,
         t.status = 'active' AS tenant_active, d.status = 'active' AS domain_active,
         COALESCE(m.imap_enabled, p.imap_enabled) AS imap_enabled,
         COALESCE(m.pop3_enabled, p.pop3_enabled) AS pop3_enabled,
         m.quota_bytes, m.quota_messages, m.used_bytes, m.used_messages, p.max_message_bytes
    FROM mailboxes m
    JOIN domains d ON d.id = m.domain_id
    JOIN tenants t ON t.id = m.tenant_id
    JOIN plans p ON p.id = t.plan_id`;

interface AccountRow {
  id: string;
  tenant_id: string;
  domain_id: string;
  address: string;
  password_hash: string;
  login_suspended: boolean;
  send_suspended: boolean;
  receive_suspended: boolean;
  outbound_blocked: boolean;
  tenant_active: boolean;
  domain_active: boolean;
  imap_enabled: boolean;
  pop3_enabled: boolean;
  quota_bytes: string;
  quota_messages: number | null;
  used_bytes: string;
  used_messages: number;
  max_message_bytes: string;
}

function toAccount(r: AccountRow): MailboxAccount {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    domainId: r.domain_id,
    address: r.address,
    passwordHash: r.password_hash,
    loginSuspended: r.login_suspended,
    sendSuspended: r.send_suspended,
    receiveSuspended: r.receive_suspended,
    outboundBlocked: r.outbound_blocked,
    tenantActive: r.tenant_active,
    domainActive: r.domain_active,
    imapEnabled: r.imap_enabled,
    pop3Enabled: r.pop3_enabled,
    quotaBytes: Number(r.quota_bytes),
    quotaMessages: r.quota_messages,
    usedBytes: Number(r.used_bytes),
    usedMessages: r.used_messages,
    maxMessageBytes: Number(r.max_message_bytes),
  };
}

export async function findAccountBy(pool: pg.Pool, column: 'address' | 'id', value: string): Promise<MailboxAccount | undefined> {
  if (column === 'id' && !/^[0-9a-f-]{36}$/i.test(value)) return undefined;
  const { rows } = await pool.query<AccountRow>(`${SELECT_ACCOUNT} WHERE m.${column} = $1`, [value]);
  return rows[0] ? toAccount(rows[0]) : undefined;
}
