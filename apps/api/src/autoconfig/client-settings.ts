import type { Config } from '@darwin/config';

/** Where mail clients connect: the engine's public host name and its TLS ports. */
export interface ClientSettings {
  readonly hostname: string;
  readonly imaps: number;
  readonly imap: number;
  readonly pop3s: number;
  readonly pop3: number;
  readonly smtps: number;
  readonly submission: number;
}

export function clientSettings(config: Config): ClientSettings {
  return {
    hostname: config.hostname,
    imaps: config.imapsPort,
    imap: config.imapPort,
    pop3s: config.pop3sPort,
    pop3: config.pop3Port,
    smtps: config.smtpsPort,
    submission: config.submissionPort,
  };
}

export function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}
