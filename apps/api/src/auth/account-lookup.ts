import { Inject, Injectable } from '@nestjs/common';
import { parseAddress } from '@darwin/core';
import type { DataSource } from '@darwin/db';
import { API_SETTINGS, DATA_SOURCE } from '../common/tokens.js';
import type { ApiSettings } from '../config/api-settings.js';
import type { Actor } from './actor.js';

/** An account that can log in, as far as authentication needs to know it. */
export interface Account {
  readonly actor: Actor;
  readonly passwordHash: string;
  /** Why this account may not log in now, even with the right password. */
  readonly blocked?: string;
  /** Operators only. */
  readonly totp?: { readonly enabled: boolean; readonly secret: string | null; readonly lastStep: number | null };
}

interface OperatorRow {
  id: string;
  email: string;
  role: string;
  tenant_id: string | null;
  password_hash: string;
  locked_until: Date | null;
  totp_enabled: boolean;
  totp_secret: string | null;
  totp_last_step: string | null;
}

interface MailboxRow {
  id: string;
  address: string;
  tenant_id: string;
  password_hash: string;
  login_suspended: boolean;
  domain_status: string;
  tenant_status: string;
}

/** Longest identifier worth looking up (RFC 5321 caps an address at 254 octets). */
export const MAX_LOGIN_LENGTH = 320;

/**
 * Operators and mailbox owners by login name or id, with whatever stops them from logging in
 * (lock, suspension of the mailbox, its domain or its tenant) and, for operators, the TOTP state.
 */
@Injectable()
export class AccountLookup {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
  ) {}

  /** Operators first, then mailboxes by address. */
  async byLogin(login: string): Promise<Account | undefined> {
    const email = login.trim().toLowerCase();
    if (email.length === 0 || email.length > MAX_LOGIN_LENGTH) return undefined;
    const operator = await this.operatorWhere('email = $1', email);
    if (operator) return operator;
    const address = parseAddress(email);
    return address ? this.mailboxWhere('m.address = $1', address.address) : undefined;
  }

  operatorById(id: string): Promise<Account | undefined> {
    return this.operatorWhere('id = $1', id);
  }

  mailboxById(id: string): Promise<Account | undefined> {
    return this.mailboxWhere('m.id = $1', id);
  }

  private async operatorWhere(condition: string, value: string): Promise<Account | undefined> {
    const rows: OperatorRow[] = await this.dataSource.query(
      `SELECT id, email, role, tenant_id, password_hash, locked_until, totp_enabled, totp_secret, totp_last_step
         FROM operators WHERE ${condition}`,
      [value],
    );
    const row = rows[0];
    if (!row) return undefined;
    const blocked = row.locked_until && row.locked_until.getTime() > Date.now() ? 'operator locked' : undefined;
    const pending = this.settings.operatorTotp === 'required' && !row.totp_enabled;
    const base = { kind: 'operator', id: row.id, email: row.email, ...(pending ? { totpEnrollmentPending: true } : {}) } as const;
    let actor: Actor;
    if (row.role === 'platform_admin') actor = { ...base, role: 'platform_admin', tenantId: null };
    else if (row.role === 'tenant_admin' && row.tenant_id) actor = { ...base, role: 'tenant_admin', tenantId: row.tenant_id };
    else return undefined;
    return {
      actor,
      passwordHash: row.password_hash,
      ...(blocked ? { blocked } : {}),
      totp: { enabled: row.totp_enabled, secret: row.totp_secret, lastStep: row.totp_last_step === null ? null : Number(row.totp_last_step) },
    };
  }

  private async mailboxWhere(condition: string, value: string): Promise<Account | undefined> {
    const rows: MailboxRow[] = await this.dataSource.query(
      `SELECT m.id, m.address, m.tenant_id, m.password_hash, m.login_suspended,
              d.status AS domain_status, t.status AS tenant_status
         FROM mailboxes m
         JOIN domains d ON d.id = m.domain_id
         JOIN tenants t ON t.id = m.tenant_id
        WHERE ${condition}`,
      [value],
    );
    const row = rows[0];
    if (!row) return undefined;
    const blocked = row.login_suspended
      ? 'mailbox login suspended'
      : row.domain_status !== 'active'
        ? 'domain suspended'
        : row.tenant_status !== 'active'
          ? 'tenant suspended'
          : undefined;
    return {
      actor: { kind: 'mailbox', role: 'mailbox_owner', id: row.id, email: row.address, tenantId: row.tenant_id },
      passwordHash: row.password_hash,
      ...(blocked ? { blocked } : {}),
    };
  }
}
