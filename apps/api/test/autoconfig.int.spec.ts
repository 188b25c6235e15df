import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDomain, insertMailbox, insertTenant } from './helpers/seed.js';
import { startApi, TEST_HOSTNAME, type TestApi } from './helpers/start-api.js';

/** The engine's real ports, as the mail engine publishes them through libs/config. */
const PORTS = { DARWIN_IMAPS_PORT: '10993', DARWIN_IMAP_PORT: '10143', DARWIN_POP3S_PORT: '10995', DARWIN_POP3_PORT: '10110', DARWIN_SMTPS_PORT: '10465', DARWIN_SUBMISSION_PORT: '10587' };

/** GET with a chosen Host header (fetch does not let a caller set it). */
function getWithHost(url: string, host: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('client autoconfiguration', () => {
  let api: TestApi;
  let mailboxId: string;
  beforeAll(async () => {
    api = await startApi({ env: PORTS });
    const t = await insertTenant(api.db.dataSource, 'Auto Co');
    const d = await insertDomain(api.db.dataSource, t, 'auto.example');
    mailboxId = await insertMailbox(api.db.dataSource, d, 'zoe', 'zoe-password-1');
    const other = await insertTenant(api.db.dataSource, 'Other');
    await insertDomain(api.db.dataSource, other, 'other.example');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('Thunderbird autoconfig (both well-known URLs) with the engine host name and ports', async () => {
    for (const path of ['/mail/config-v1.1.xml?emailaddress=zoe%40auto.example', '/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=zoe%40AUTO.example']) {
      const res = await fetch(`${api.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
      const xml = await res.text();
      expect(xml).toContain('<domain>auto.example</domain>');
      expect(xml).toMatch(new RegExp(`<incomingServer type="imap">\\s*<hostname>${TEST_HOSTNAME}</hostname>\\s*<port>10993</port>\\s*<socketType>SSL</socketType>`));
      expect(xml).toMatch(/<outgoingServer type="smtp">\s*<hostname>[^<]+<\/hostname>\s*<port>10465<\/port>/);
      expect(xml).toMatch(/<port>10587<\/port>\s*<socketType>STARTTLS<\/socketType>/);
      expect(xml).toMatch(/<incomingServer type="pop3">\s*<hostname>[^<]+<\/hostname>\s*<port>10995<\/port>/);
    }
    // By the autoconfig.<domain> host name too (what Thunderbird asks first).
    const byHost = await getWithHost(`${api.url}/mail/config-v1.1.xml`, 'autoconfig.auto.example');
    expect(byHost.status).toBe(200);
    expect(byHost.text).toContain('<domain>auto.example</domain>');
    expect(await fetch(`${api.url}/mail/config-v1.1.xml?emailaddress=x%40unknown.example`).then((r) => r.status)).toBe(404);
  });

  it('Outlook autodiscover (POX over POST)', async () => {
    const body = `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request><EMailAddress>zoe@auto.example</EMailAddress><AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema></Request></Autodiscover>`;
    for (const path of ['/autodiscover/autodiscover.xml', '/Autodiscover/Autodiscover.xml']) {
      const res = await fetch(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
      expect(res.status).toBe(200);
      const xml = await res.text();
      expect(xml).toMatch(new RegExp(`<Type>IMAP</Type>\\s*<Server>${TEST_HOSTNAME}</Server>\\s*<Port>10993</Port>`));
      expect(xml).toMatch(/<Type>SMTP<\/Type>\s*<Server>[^<]+<\/Server>\s*<Port>10465<\/Port>/);
      expect(xml).toContain('<LoginName>zoe@auto.example</LoginName>');
    }
    const unknown = await fetch(`${api.url}/autodiscover/autodiscover.xml`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: body.replace('auto.example', 'nowhere.example') });
    expect(unknown.status).toBe(404);
  });

  it('Apple .mobileconfig for a mailbox: its owner and its admins only', async () => {
    const login = await api.login('zoe@auto.example', 'zoe-password-1');
    const res = await fetch(`${api.url}/api/v1/mailboxes/${mailboxId}/mobileconfig`, { headers: { authorization: `Bearer ${login}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-apple-aspen-config');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="zoe@auto.example.mobileconfig"');
    const plist = await res.text();
    expect(plist).toMatch(/<key>IncomingMailServerHostName<\/key>\s*<string>mx.darwin.test<\/string>/);
    expect(plist).toMatch(/<key>IncomingMailServerPortNumber<\/key>\s*<integer>10993<\/integer>/);
    expect(plist).toMatch(/<key>OutgoingMailServerPortNumber<\/key>\s*<integer>10465<\/integer>/);
    expect(plist).toMatch(/<key>EmailAddress<\/key>\s*<string>zoe@auto.example<\/string>/);
    expect((await fetch(`${api.url}/api/v1/mailboxes/${mailboxId}/mobileconfig`)).status).toBe(401);
    const { insertMailbox: add } = await import('./helpers/seed.js');
    const [{ id: d }] = await api.db.dataSource.query(`SELECT id FROM domains WHERE name = 'other.example'`);
    await add(api.db.dataSource, d, 'spy', 'spy-password-1');
    const spy = await api.login('spy@other.example', 'spy-password-1');
    expect((await fetch(`${api.url}/api/v1/mailboxes/${mailboxId}/mobileconfig`, { headers: { authorization: `Bearer ${spy}` } })).status).toBe(404);
  });

  it('MTA-STS policy for mta-sts.<domain>', async () => {
    const res = await getWithHost(`${api.url}/.well-known/mta-sts.txt`, 'mta-sts.auto.example');
    expect(res.status).toBe(200);
    expect(res.text).toBe(`version: STSv1\r\nmode: testing\r\nmx: ${TEST_HOSTNAME}\r\nmax_age: 604800\r\n`);
    expect((await getWithHost(`${api.url}/.well-known/mta-sts.txt`, 'mta-sts.nowhere.example')).status).toBe(404);
  });
});
