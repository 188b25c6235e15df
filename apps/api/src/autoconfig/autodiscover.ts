import { xmlEscape, type ClientSettings } from './client-settings.js';

const RESPONSE_SCHEMA = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';

/** The e-mail address of an Outlook autodiscover request (POX), or undefined. */
export function autodiscoverAddress(xml: string): string | undefined {
  const m = /<EMailAddress>\s*([^<\s]{3,320})\s*<\/EMailAddress>/i.exec(xml);
  return m?.[1];
}

/** Outlook's "POX" autodiscover answer: IMAP and SMTP over implicit TLS, the address as login. */
export function autodiscoverResponse(address: string, displayName: string, s: ClientSettings): string {
  const h = xmlEscape(s.hostname);
  const a = xmlEscape(address);
  const protocol = (type: string, port: number) => `      <Protocol>
        <Type>${type}</Type>
        <Server>${h}</Server>
        <Port>${port}</Port>
        <DomainRequired>off</DomainRequired>
        <LoginName>${a}</LoginName>
        <SPA>off</SPA>
        <SSL>on</SSL>
        <AuthRequired>on</AuthRequired>
      </Protocol>`;
  return `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="${RESPONSE_SCHEMA}">
    <User>
      <DisplayName>${xmlEscape(displayName)}</DisplayName>
    </User>
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
${protocol('IMAP', s.imaps)}
${protocol('SMTP', s.smtps)}
    </Account>
  </Response>
</Autodiscover>
`;
}
