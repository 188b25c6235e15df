import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '@darwin/config';
import { normalizeDomain, notFound, parseAddress } from '@darwin/core';
import type { DataSource } from '@darwin/db';
import { ScopedRepositories } from '../common/scoped-repository.js';
import { CONFIG, DATA_SOURCE } from '../common/tokens.js';
import { mtaStsPolicy } from '../domains/dns/expected-records.js';
import { autodiscoverAddress, autodiscoverResponse } from './autodiscover.js';
import { clientSettings } from './client-settings.js';
import { mobileconfig } from './mobileconfig.js';
import { thunderbirdConfig } from './thunderbird.js';

/**
 * Client autoconfiguration. Thunderbird's file, Outlook's autodiscover and the MTA-STS policy are
 * public (clients fetch them before they have credentials) and answer only for domains hosted
 * here and active, telling nothing DNS does not already tell. The Apple profile is per mailbox and
 * needs the caller to see that mailbox.
 */
@Injectable()
export class AutoconfigService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: Config,
    private readonly scoped: ScopedRepositories,
  ) {}

  /** For `emailaddress` (or, without it, the autoconfig.<domain> host the client asked). */
  async thunderbird(emailAddress: string | undefined, host: string | undefined): Promise<string> {
    const domain = await this.hostedDomain(emailAddress ? parseAddress(emailAddress)?.domain : host?.replace(/^autoconfig\./i, '').replace(/:\d+$/, ''));
    return thunderbirdConfig(domain, domain, clientSettings(this.config));
  }

  async autodiscover(body: string): Promise<string> {
    const address = parseAddress(autodiscoverAddress(body) ?? '');
    if (!address) throw notFound('Mailbox');
    await this.hostedDomain(address.domain);
    return autodiscoverResponse(address.address, address.address, clientSettings(this.config));
  }

  /** https://mta-sts.<domain>/.well-known/mta-sts.txt */
  async mtaSts(host: string | undefined): Promise<string> {
    await this.hostedDomain(host?.replace(/:\d+$/, '').replace(/^mta-sts\./i, ''));
    return mtaStsPolicy(this.config.hostname);
  }

  async mobileconfig(mailboxId: string): Promise<{ filename: string; body: string }> {
    const mb = await this.scoped.mailboxes().get(mailboxId);
    return { filename: `${mb.address}.mobileconfig`, body: mobileconfig(mb, clientSettings(this.config)) };
  }

  private async hostedDomain(raw: string | undefined): Promise<string> {
    const name = raw ? normalizeDomain(raw) : undefined;
    if (!name) throw notFound('Domain');
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM domains WHERE name = $1 AND status = 'active'`, [name]);
    if (rows.length === 0) throw notFound('Domain');
    return name;
  }
}
