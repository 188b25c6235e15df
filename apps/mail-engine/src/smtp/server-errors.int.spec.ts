import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { createLogger } from '@darwin/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DarwinSmtpServer } from './connection.js';
import { createSubmissionServer } from './server.js';
import { startSmtpFixture, type SmtpFixture } from './testing/smtp-fixture.js';

/** Opens a TCP connection, optionally writes some bytes, and closes it. */
async function touch(port: number, bytes?: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => {
      if (bytes) s.write(bytes);
      s.end();
    });
    s.on('error', reject);
    s.on('close', () => resolve());
  });
}

describe('SMTP listener errors caused by clients', () => {
  let f: SmtpFixture;
  let server: DarwinSmtpServer;
  let port: number;
  const lines: Array<{ level: string; msg: string }> = [];

  beforeAll(async () => {
    f = await startSmtpFixture();
    const logger = createLogger({ app: 'test' }, { level: 'debug', format: 'json', write: (l) => void lines.push(JSON.parse(l)) });
    server = createSubmissionServer({ ...f.ctx, logger }, f.services, { implicitTls: true });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server?.close(() => r()));
    await f?.close();
  });

  it('logs a port probe and a plain-text client on the TLS port as client events, not errors, and keeps serving', async () => {
    await touch(port);
    await touch(port, 'EHLO not-tls.example\r\n');
    await new Promise((r) => setTimeout(r, 200));
    const errors = lines.filter((l) => l.level === 'error');
    expect(errors).toEqual([]);
    expect(lines.filter((l) => l.msg === 'client connection error').length).toBe(2);
    // The listener still answers a real TLS client.
    const greeting = await new Promise<string>((resolve, reject) => {
      const s = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false }, () => undefined);
      s.once('data', (d) => {
        resolve(d.toString());
        s.destroy();
      });
      s.on('error', reject);
    });
    expect(greeting).toMatch(/^220 /);
  });
});
