import { describe, expect, it } from 'vitest';
import { autodiscoverAddress, autodiscoverResponse } from './autodiscover.js';
import type { ClientSettings } from './client-settings.js';
import { mobileconfig } from './mobileconfig.js';
import { thunderbirdConfig } from './thunderbird.js';

const S: ClientSettings = { hostname: 'mail.provider.example', imaps: 993, imap: 143, pop3s: 995, pop3: 110, smtps: 465, submission: 587 };

describe('client autoconfiguration documents', () => {
  it('Thunderbird: IMAP/POP3/SMTP with the real host and ports, TLS first', () => {
    const sut = thunderbirdConfig('acme.example', 'acme.example', S);
    expect(sut).toContain('<emailProvider id="acme.example">');
    const servers = [...sut.matchAll(/<(incoming|outgoing)Server type="(\w+)">\s*<hostname>([^<]+)<\/hostname>\s*<port>(\d+)<\/port>\s*<socketType>(\w+)<\/socketType>/g)].map((m) => `${m[2]} ${m[3]}:${m[4]} ${m[5]}`);
    expect(servers).toEqual([
      'imap mail.provider.example:993 SSL',
      'imap mail.provider.example:143 STARTTLS',
      'pop3 mail.provider.example:995 SSL',
      'pop3 mail.provider.example:110 STARTTLS',
      'smtp mail.provider.example:465 SSL',
      'smtp mail.provider.example:587 STARTTLS',
    ]);
    expect(sut).toContain('<username>%EMAILADDRESS%</username>');
  });

  it('Outlook: reads the address from the request and answers IMAP and SMTP', () => {
    const req = `<?xml version="1.0"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request><EMailAddress>Ann@Acme.example</EMailAddress><AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema></Request></Autodiscover>`;
    expect(autodiscoverAddress(req)).toBe('Ann@Acme.example');
    const sut = autodiscoverResponse('ann@acme.example', 'Ann', S);
    expect(sut).toMatch(/<Type>IMAP<\/Type>\s*<Server>mail.provider.example<\/Server>\s*<Port>993<\/Port>/);
    expect(sut).toMatch(/<Type>SMTP<\/Type>\s*<Server>mail.provider.example<\/Server>\s*<Port>465<\/Port>/);
    expect(sut).toContain('<LoginName>ann@acme.example</LoginName>');
  });

  it('Apple: a profile with the account, stable UUIDs, no password, escaped text', () => {
    const mb = { id: '0f8fad5b-d9cb-469f-a165-70867728950e', address: 'ann@acme.example', displayName: 'Ann <& Co>' };
    const sut = mobileconfig(mb, S);
    expect(sut).toContain('<string>com.apple.mail.managed</string>');
    expect(sut).toMatch(/<key>IncomingMailServerPortNumber<\/key>\s*<integer>993<\/integer>/);
    expect(sut).toMatch(/<key>OutgoingMailServerPortNumber<\/key>\s*<integer>465<\/integer>/);
    expect(sut).toContain('Ann &lt;&amp; Co&gt;');
    expect(sut).not.toMatch(/<key>(IncomingPassword|OutgoingPassword)<\/key>/);
    expect(mobileconfig(mb, S)).toBe(sut);
    expect(sut.match(/[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}/g)).toHaveLength(2);
  });
});
