import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { connect, createServer, TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { generateSelfSigned } from './self-signed.js';
import { tlsMaterialFromPem } from './tls-material.js';

function readAll(host: string, port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = connect({ port, host, ca, servername: 'mail.example.test' }, () => {
      c.setEncoding('utf8');
      let data = '';
      c.on('data', (d: string) => (data += d));
      c.on('end', () => resolve(data));
    });
    c.on('error', reject);
  });
}

describe('generateSelfSigned', async () => {
  const pair = await generateSelfSigned('mail.example.test');
  const tls = tlsMaterialFromPem(Buffer.from(pair.certPem), Buffer.from(pair.keyPem), true);

  it('names the host and loopback and matches its key', () => {
    const cert = new X509Certificate(pair.certPem);
    expect(cert.subject).toContain('CN=mail.example.test');
    expect(cert.subjectAltName).toContain('DNS:mail.example.test');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.checkPrivateKey(createPrivateKey(pair.keyPem))).toBe(true);
  });

  it('serves implicit TLS with serverOptions, verified by a client that trusts it', async () => {
    const server = createServer(tls.serverOptions, (s) => s.end('implicit'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      expect(await readAll('127.0.0.1', (server.address() as AddressInfo).port, pair.certPem)).toBe('implicit');
    } finally {
      server.close();
    }
  });

  it('upgrades an accepted plain socket in place with secureContext (STARTTLS)', async () => {
    const server = createTcpServer((plain) => {
      const secure = new TLSSocket(plain, { isServer: true, secureContext: tls.secureContext });
      secure.on('secure', () => secure.end('upgraded'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      expect(await readAll('127.0.0.1', (server.address() as AddressInfo).port, pair.certPem)).toBe('upgraded');
    } finally {
      server.close();
    }
  });
});
