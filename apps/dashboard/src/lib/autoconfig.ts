export interface ServerSetting {
  readonly protocol: 'IMAP' | 'POP3' | 'SMTP';
  readonly hostname: string;
  readonly port: number;
  readonly security: 'SSL/TLS' | 'STARTTLS';
}

/** The servers listed in a Thunderbird autoconfig document (clientConfig 1.1), in its order. */
export function parseAutoconfig(xml: string): ServerSetting[] {
  const servers: ServerSetting[] = [];
  const pattern = /<(incomingServer|outgoingServer) type="(imap|pop3|smtp)">([\s\S]*?)<\/\1>/g;
  for (const match of xml.matchAll(pattern)) {
    const body = match[3] ?? '';
    const hostname = /<hostname>([^<]+)<\/hostname>/.exec(body)?.[1];
    const port = Number(/<port>(\d+)<\/port>/.exec(body)?.[1]);
    const socket = /<socketType>([^<]+)<\/socketType>/.exec(body)?.[1];
    if (!hostname || !Number.isInteger(port)) continue;
    servers.push({
      protocol: match[2] === 'imap' ? 'IMAP' : match[2] === 'pop3' ? 'POP3' : 'SMTP',
      hostname: unescapeXml(hostname),
      port,
      security: socket === 'SSL' ? 'SSL/TLS' : 'STARTTLS',
    });
  }
  return servers;
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|apos|quot);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' })[e]!);
}
