import {
  addFacts,
  EMPTY_FACTS,
  parseAddress,
  resolveRecipient,
  type DirectoryAlias,
  type DirectoryDomain,
  type DirectoryFacts,
  type DirectoryMailbox,
  type RecipientResolution,
  type ResolveOptions,
} from '@darwin/core';
import type pg from 'pg';

/** A mailbox as SMTP sees it: what recipient resolution needs, plus the vacation settings. */
export interface SmtpMailbox extends DirectoryMailbox {
  readonly vacation: VacationSettings | null;
}

export interface VacationSettings {
  readonly subject: string | null;
  readonly body: string;
  readonly startsAt: Date | null;
  readonly endsAt: Date | null;
}

/** The sending side of a submission: the authenticated mailbox's current state and limits. */
export interface SenderAccount {
  readonly id: string;
  readonly tenantId: string;
  readonly address: string;
  readonly sendSuspended: boolean;
  readonly outboundBlocked: boolean;
  readonly active: boolean;
  readonly maxMessageBytes: number;
  readonly maxRecipients: number;
}

interface Row {
  k: 'd' | 'm' | 'a';
  v: Record<string, unknown>;
}

/** Past this many keys of a kind, one statement with arrays serves every count. */
const MAX_LISTED_KEYS = 4;
const statements = new Map<string, { name: string; text: string }>();

/**
 * The lookup of one resolution round, a named statement per number of keys (Postgres parses it
 * once per connection; it runs for every RCPT). Not `= ANY($1::text[])`: for an array parameter
 * the generic plan assumes ten elements, so Postgres kept planning each execution for its actual
 * one (measured: every lookup re-planned on most connections). With one parameter per key the
 * generic plan is as cheap as a custom one, and Postgres settles on it after five executions.
 */
function directoryQuery(domains: readonly string[], addresses: readonly string[]): { name: string; text: string; values: unknown[] } {
  const domainCount = domains.length;
  const addressCount = addresses.length;
  const listed = domainCount <= MAX_LISTED_KEYS && addressCount <= MAX_LISTED_KEYS;
  const key = listed ? `${domainCount}-${addressCount}` : 'arrays';
  let s = statements.get(key);
  if (!s) {
    const params = (from: number, n: number) => Array.from({ length: n }, (_, i) => `$${from + i}`).join(', ');
    const inDomains = listed ? (domainCount > 0 ? `IN (${params(1, domainCount)})` : 'IS NULL AND false') : '= ANY($1::text[])';
    const inAddresses = listed ? (addressCount > 0 ? `IN (${params(1 + domainCount, addressCount)})` : 'IS NULL AND false') : '= ANY($2::text[])';
    s = {
      name: `darwin-smtp-directory-${key}`,
      text: `SELECT 'd' AS k, json_build_object('name', d.name, 'tenantId', d.tenant_id, 'active', d.status = 'active' AND t.status = 'active') AS v
         FROM domains d JOIN tenants t ON t.id = d.tenant_id WHERE d.name ${inDomains}
       UNION ALL
       SELECT 'm', json_build_object('id', m.id, 'tenantId', m.tenant_id, 'address', m.address, 'receiveSuspended', m.receive_suspended,
                'active', d.status = 'active' AND t.status = 'active', 'quotaBytes', m.quota_bytes, 'quotaMessages', m.quota_messages,
                'usedBytes', m.used_bytes, 'usedMessages', m.used_messages, 'maxMessageBytes', p.max_message_bytes,
                'forwardTo', m.forward_to, 'forwardKeepCopy', m.forward_keep_copy,
                'vacation', CASE WHEN m.vacation_enabled THEN json_build_object('subject', m.vacation_subject, 'body', coalesce(m.vacation_body, ''),
                   'startsAt', m.vacation_starts_at, 'endsAt', m.vacation_ends_at) END)
         FROM mailboxes m JOIN domains d ON d.id = m.domain_id JOIN tenants t ON t.id = m.tenant_id JOIN plans p ON p.id = t.plan_id
        WHERE m.address ${inAddresses}
       UNION ALL
       SELECT 'a', json_build_object('source', a.source, 'tenantId', a.tenant_id, 'destinations', a.destinations, 'enabled', a.enabled)
         FROM aliases a WHERE a.source ${inAddresses}`,
    };
    statements.set(key, s);
  }
  return { ...s, values: listed ? [...domains, ...addresses] : [domains, addresses] };
}

/**
 * Directory lookups for SMTP, in Postgres: domains, mailboxes and aliases for recipient
 * resolution (all keys of one round in one query), sender identities for submission. The
 * resolution rules themselves are pure and live in @darwin/core.
 */
export class SmtpDirectory {
  constructor(
    private readonly pool: pg.Pool,
    private readonly resolveOptions: ResolveOptions = {},
  ) {}

  /** Resolves one recipient, querying the keys the resolver asks for (usually one round trip). */
  async resolve(raw: string): Promise<RecipientResolution> {
    let facts: DirectoryFacts = EMPTY_FACTS;
    for (let round = 0; round < 10; round++) {
      const r = resolveRecipient(raw, facts, this.resolveOptions);
      if (r.kind !== 'need') return r;
      facts = await this.lookup(facts, r.domains, r.addresses);
    }
    throw new Error(`recipient resolution of ${raw} did not converge`);
  }

  private async lookup(facts: DirectoryFacts, domains: readonly string[], addresses: readonly string[]): Promise<DirectoryFacts> {
    // Lookups by key: a subaddress or a domain can be absent, which is recorded as null.
    const { rows } = await this.pool.query<Row>(directoryQuery(domains, addresses));
    const d = new Map<string, DirectoryDomain | null>(domains.map((x) => [x, null]));
    const m = new Map<string, DirectoryMailbox | null>(addresses.map((x) => [x, null]));
    const a = new Map<string, DirectoryAlias | null>(addresses.map((x) => [x, null]));
    for (const { k, v } of rows) {
      if (k === 'd') d.set(v.name as string, v as unknown as DirectoryDomain);
      else if (k === 'm') m.set(v.address as string, toMailbox(v));
      else a.set(v.source as string, v as unknown as DirectoryAlias);
    }
    return addFacts(facts, { domains: d, mailboxes: m, aliases: a });
  }

  /** The authenticated mailbox as a sender: its state and its plan's limits. */
  async sender(mailboxId: string): Promise<SenderAccount | undefined> {
    const { rows } = await this.pool.query<{
      id: string;
      tenant_id: string;
      address: string;
      send_suspended: boolean;
      outbound_blocked: boolean;
      active: boolean;
      max_message_bytes: string;
      max_recipients: number;
    }>(
      `SELECT m.id, m.tenant_id, m.address, m.send_suspended, m.outbound_blocked_at IS NOT NULL AS outbound_blocked,
              d.status = 'active' AND t.status = 'active' AND NOT m.login_suspended AS active,
              p.max_message_bytes, p.max_recipients_per_message AS max_recipients
         FROM mailboxes m JOIN domains d ON d.id = m.domain_id JOIN tenants t ON t.id = m.tenant_id JOIN plans p ON p.id = t.plan_id
        WHERE m.id = $1`,
      [mailboxId],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      id: r.id,
      tenantId: r.tenant_id,
      address: r.address,
      sendSuspended: r.send_suspended,
      outboundBlocked: r.outbound_blocked,
      active: r.active,
      maxMessageBytes: Number(r.max_message_bytes),
      maxRecipients: r.max_recipients,
    };
  }

  /**
   * Whether `address` is an identity of the mailbox: its own address (or a subaddress of it), or
   * an enabled alias of its tenant that delivers to it.
   */
  async mayUseSender(account: SenderAccount, raw: string, separator: string): Promise<boolean> {
    const a = parseAddress(raw);
    if (!a) return false;
    if (a.address === account.address) return true;
    const i = separator ? a.localPart.indexOf(separator) : -1;
    const base = i > 0 ? `${a.localPart.slice(0, i)}@${a.domain}` : undefined;
    if (base === account.address) return true;
    const { rowCount } = await this.pool.query(
      `SELECT 1 FROM aliases WHERE source = ANY($1::text[]) AND enabled AND tenant_id = $2 AND $3 = ANY(destinations) LIMIT 1`,
      [base ? [a.address, base] : [a.address], account.tenantId, account.address],
    );
    return (rowCount ?? 0) > 0;
  }
}

function toMailbox(v: Record<string, unknown>): SmtpMailbox {
  const vac = v.vacation as { subject: string | null; body: string; startsAt: string | null; endsAt: string | null } | null;
  return {
    id: v.id as string,
    tenantId: v.tenantId as string,
    address: v.address as string,
    receiveSuspended: v.receiveSuspended as boolean,
    active: v.active as boolean,
    quotaBytes: Number(v.quotaBytes),
    quotaMessages: v.quotaMessages === null ? null : Number(v.quotaMessages),
    usedBytes: Number(v.usedBytes),
    usedMessages: Number(v.usedMessages),
    maxMessageBytes: Number(v.maxMessageBytes),
    forwardTo: (v.forwardTo as string[] | null) ?? [],
    forwardKeepCopy: v.forwardKeepCopy as boolean,
    vacation: vac
      ? { subject: vac.subject, body: vac.body, startsAt: vac.startsAt ? new Date(vac.startsAt) : null, endsAt: vac.endsAt ? new Date(vac.endsAt) : null }
      : null,
  };
}
