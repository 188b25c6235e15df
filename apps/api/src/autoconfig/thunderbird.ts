import { xmlEscape, type ClientSettings } from './client-settings.js';

/**
 * Thunderbird's autoconfig file (clientConfig 1.1, as served at
 * autoconfig.<domain>/mail/config-v1.1.xml): IMAP and POP3 with implicit TLS first, then STARTTLS;
 * SMTP submission with implicit TLS, then STARTTLS. The user name is the whole address.
 */
export function thunderbirdConfig(domain: string, displayName: string, s: ClientSettings): string {
  const h = xmlEscape(s.hostname);
  const server = (tag: 'incomingServer' | 'outgoingServer', type: string, port: number, socket: 'SSL' | 'STARTTLS') =>
    `    <${tag} type="${type}">
      <hostname>${h}</hostname>
      <port>${port}</port>
      <socketType>${socket}</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </${tag}>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="${xmlEscape(domain)}">
    <domain>${xmlEscape(domain)}</domain>
    <displayName>${xmlEscape(displayName)}</displayName>
    <displayShortName>${xmlEscape(displayName)}</displayShortName>
${server('incomingServer', 'imap', s.imaps, 'SSL')}
${server('incomingServer', 'imap', s.imap, 'STARTTLS')}
${server('incomingServer', 'pop3', s.pop3s, 'SSL')}
${server('incomingServer', 'pop3', s.pop3, 'STARTTLS')}
${server('outgoingServer', 'smtp', s.smtps, 'SSL')}
${server('outgoingServer', 'smtp', s.submission, 'STARTTLS')}
  </emailProvider>
</clientConfig>
`;
}
