import type { Config } from '@darwin/config';

export interface BannerInfo {
  readonly config: Config;
  readonly host: string;
  readonly database: string;
  readonly admin?: { email: string; password: string; generated: boolean };
}

/** What a new user needs to see once everything is up: where each part listens and how to log in. */
export function banner(b: BannerInfo): string {
  const c = b.config;
  const h = b.host;
  const lines = [
    '',
    'Darwin Mail is running.',
    '',
    `  Dashboard      http://${h}:${c.dashboardPort}`,
    `  GraphQL API    http://${h}:${c.apiPort}/graphql`,
    `  SMTP (MX)      ${h}:${c.smtpPort}`,
    `  Submission     ${h}:${c.submissionPort} (STARTTLS)   SMTPS ${h}:${c.smtpsPort} (TLS)`,
    `  IMAP           ${h}:${c.imapPort}   IMAPS (TLS) ${h}:${c.imapsPort}`,
    `  POP3           ${h}:${c.pop3Port}   POP3S (TLS) ${h}:${c.pop3sPort}`,
    `  Database       ${b.database}`,
    '',
  ];
  if (b.admin) {
    lines.push(`  Platform admin created: ${b.admin.email}`);
    if (b.admin.generated) lines.push(`  Password (shown only this once): ${b.admin.password}`);
    lines.push('');
  } else {
    lines.push(`  Log in as the platform admin (${c.adminEmail} unless you changed it).`, '');
  }
  lines.push('  Press Ctrl-C to stop everything.', '');
  return lines.join('\n') + '\n';
}
