import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load.js';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const sut = loadConfig({});
    expect(sut.smtpPort).toBe(2525);
    expect(sut.imapPort).toBe(2143);
    expect(sut.pop3Port).toBe(2110);
    expect(sut.pop3sPort).toBe(2995);
    expect(sut.apiPort).toBe(4000);
    expect(sut.dashboardPort).toBe(3000);
    expect(sut.dataDir).toBe('./.data');
    expect(sut.databaseUrl).toBeUndefined();
    expect(sut.maxMessageBytes).toBe(50 * 1024 * 1024);
    expect(sut.idleTimeoutAuthenticated).toBe(30 * 60_000);
    // RFC 1939 section 3: a POP3 server's autologout timer must be at least 10 minutes.
    expect(sut.pop3IdleTimeout).toBe(10 * 60_000);
  });

  it('parses values from the environment', () => {
    const sut = loadConfig({ DARWIN_SMTP_PORT: '25', DARWIN_MAX_MESSAGE_BYTES: '10M', DATABASE_URL: 'postgres://u@h/db' });
    expect(sut.smtpPort).toBe(25);
    expect(sut.maxMessageBytes).toBe(10 * 1024 * 1024);
    expect(sut.databaseUrl).toBe('postgres://u@h/db');
  });

  it('names every bad variable with the expected form', () => {
    try {
      loadConfig({ DARWIN_SMTP_PORT: 'abc', DARWIN_LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x/y' });
      expect.fail('should throw');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      expect(msg).toContain('DARWIN_SMTP_PORT: expected a TCP port');
      expect(msg).toContain('"abc"');
      expect(msg).toContain('DARWIN_LOG_LEVEL: expected one of debug, info, warn, error');
      // Secrets are reported by name only.
      expect(msg).toContain('DATABASE_URL: expected a PostgreSQL URL');
      expect(msg).not.toContain('mysql://');
    }
  });

  it('refuses out-of-range ports and short secrets', () => {
    expect(() => loadConfig({ DARWIN_IMAP_PORT: '70000' })).toThrow(/DARWIN_IMAP_PORT/);
    expect(() => loadConfig({ DARWIN_JWT_SECRET: 'short' })).toThrow(/DARWIN_JWT_SECRET: expected a secret of at least 32/);
  });

  it('takes smarthost credentials only together and with a smarthost, and never echoes the password', () => {
    const ok = loadConfig({ DARWIN_SMARTHOST: 'relay.example:587', DARWIN_SMARTHOST_USER: 'darwin', DARWIN_SMARTHOST_PASSWORD: 's3cret pass' });
    expect(ok).toMatchObject({ smarthost: { host: 'relay.example', port: 587 }, smarthostUser: 'darwin', smarthostPassword: 's3cret pass' });
    expect(() => loadConfig({ DARWIN_SMARTHOST: 'relay.example:587', DARWIN_SMARTHOST_USER: 'darwin' })).toThrow(/DARWIN_SMARTHOST_USER: expected to be set together with DARWIN_SMARTHOST_PASSWORD/);
    expect(() => loadConfig({ DARWIN_SMARTHOST_USER: 'darwin', DARWIN_SMARTHOST_PASSWORD: 'pw' })).toThrow(/DARWIN_SMARTHOST: expected a host:port/);
    try {
      loadConfig({ DARWIN_SMARTHOST: 'relay.example', DARWIN_SMARTHOST_USER: 'darwin', DARWIN_SMARTHOST_PASSWORD: 'bad\nline' });
      expect.unreachable();
    } catch (err) {
      expect(String(err)).toContain('DARWIN_SMARTHOST_PASSWORD');
      expect(String(err)).not.toContain('bad');
    }
  });
});
