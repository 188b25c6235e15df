import type { MailStore } from '@darwin/mail-store';
import type pg from 'pg';
import { SendGuard } from '../abuse/send-guard.js';
import { cachedResolve, type DnsResolve } from '../dns/cached-resolve.js';
import { DnsClient } from '@darwin/core';
import type { EngineContext } from '../engine-context.js';
import { SmtpDirectory } from './directory.js';
import { SenderAuthCache } from './sender-auth-cache.js';

/** What the MX and submission listeners share: directory, send guard, DNS resolver (and its cache). */
export interface SmtpServices {
  readonly pool: pg.Pool;
  readonly directory: SmtpDirectory;
  readonly guard: SendGuard;
  readonly resolver: DnsResolve;
  /** Sender verification results of unsigned mail, kept as long as the resolver keeps answers. */
  readonly authCache: SenderAuthCache;
  /** Subaddress separator ('' when disabled). */
  readonly separator: string;
}

/** The pg pool behind the Postgres store: SMTP's own queries (directory, rates) use it too. */
function poolOf(store: MailStore): pg.Pool {
  const pool = (store as { pool?: pg.Pool }).pool;
  if (!pool) throw new Error('the SMTP listeners need the Postgres mail store (PgMailStore)');
  return pool;
}

/** How long DNS answers, and the verification results drawn from them, are reused. */
const DNS_CACHE_MS = 60_000;

export function createSmtpServices(ctx: EngineContext): SmtpServices {
  const pool = poolOf(ctx.store);
  const separator = ctx.config.subaddressSeparator === 'none' ? '' : ctx.config.subaddressSeparator;
  return {
    pool,
    separator,
    directory: new SmtpDirectory(pool, { separator }),
    guard: new SendGuard(pool, {
      tenantFactor: ctx.config.sendTenantFactor,
      burstFactor: ctx.config.sendBurstFactor,
      logger: ctx.logger.child({ part: 'send-guard' }),
    }),
    resolver: cachedResolve(DnsClient.fromConfig(ctx.config, { strict: true }), { ttlMs: DNS_CACHE_MS }),
    authCache: new SenderAuthCache(DNS_CACHE_MS),
  };
}
