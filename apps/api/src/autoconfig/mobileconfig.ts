import { createHash } from 'node:crypto';
import { xmlEscape, type ClientSettings } from './client-settings.js';

/** A stable UUID derived from a name (so downloading the profile twice gives the same profile). */
function nameUuid(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`.toUpperCase();
}

function reverseDns(hostname: string): string {
  return hostname.split('.').reverse().join('.');
}

/**
 * An Apple configuration profile (unsigned) with one mail account: IMAP and SMTP submission over
 * implicit TLS, the address as login, the password asked on the device (never in the file).
 */
export function mobileconfig(mailbox: { id: string; address: string; displayName: string | null }, s: ClientSettings): string {
  const base = `${reverseDns(s.hostname)}.mail.${mailbox.id}`;
  const str = (key: string, value: string) => `      <key>${key}</key>\n      <string>${xmlEscape(value)}</string>`;
  const int = (key: string, value: number) => `      <key>${key}</key>\n      <integer>${value}</integer>`;
  const bool = (key: string, value: boolean) => `      <key>${key}</key>\n      <${value}/>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadContent</key>
  <array>
    <dict>
${str('EmailAccountDescription', mailbox.address)}
${str('EmailAccountName', mailbox.displayName ?? mailbox.address)}
${str('EmailAccountType', 'EmailTypeIMAP')}
${str('EmailAddress', mailbox.address)}
${str('IncomingMailServerAuthentication', 'EmailAuthPassword')}
${str('IncomingMailServerHostName', s.hostname)}
${int('IncomingMailServerPortNumber', s.imaps)}
${bool('IncomingMailServerUseSSL', true)}
${str('IncomingMailServerUsername', mailbox.address)}
${str('OutgoingMailServerAuthentication', 'EmailAuthPassword')}
${str('OutgoingMailServerHostName', s.hostname)}
${int('OutgoingMailServerPortNumber', s.smtps)}
${bool('OutgoingMailServerUseSSL', true)}
${str('OutgoingMailServerUsername', mailbox.address)}
${bool('OutgoingPasswordSameAsIncomingPassword', true)}
${str('PayloadDescription', `Mail account ${mailbox.address}`)}
${str('PayloadDisplayName', mailbox.address)}
${str('PayloadIdentifier', `${base}.account`)}
${str('PayloadType', 'com.apple.mail.managed')}
${str('PayloadUUID', nameUuid(`${base}.account`))}
${int('PayloadVersion', 1)}
    </dict>
  </array>
  <key>PayloadDescription</key>
  <string>${xmlEscape(`Mail settings for ${mailbox.address}`)}</string>
  <key>PayloadDisplayName</key>
  <string>${xmlEscape(mailbox.address)}</string>
  <key>PayloadIdentifier</key>
  <string>${xmlEscape(base)}</string>
  <key>PayloadRemovalDisallowed</key>
  <false/>
  <key>PayloadType</key>
  <string>Configuration</string>
  <key>PayloadUUID</key>
  <string>${nameUuid(base)}</string>
  <key>PayloadVersion</key>
  <integer>1</integer>
</dict>
</plist>
`;
}
