import { describe, expect, it } from 'vitest';
import { parseAutoconfig } from './autoconfig';

describe('parseAutoconfig', () => {
  it('lists the servers of a Thunderbird autoconfig document', () => {
    const xml = `<clientConfig version="1.1"><emailProvider id="acme.test">
      <incomingServer type="imap"><hostname>mail.example&amp;co.test</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
      <incomingServer type="pop3"><hostname>mail.test</hostname><port>110</port><socketType>STARTTLS</socketType></incomingServer>
      <outgoingServer type="smtp"><hostname>mail.test</hostname><port>587</port><socketType>STARTTLS</socketType></outgoingServer>
      <incomingServer type="imap"><hostname>broken</hostname><port>x</port></incomingServer>
    </emailProvider></clientConfig>`;
    expect(parseAutoconfig(xml)).toEqual([
      { protocol: 'IMAP', hostname: 'mail.example&co.test', port: 993, security: 'SSL/TLS' },
      { protocol: 'POP3', hostname: 'mail.test', port: 110, security: 'STARTTLS' },
      { protocol: 'SMTP', hostname: 'mail.test', port: 587, security: 'STARTTLS' },
    ]);
  });
});
