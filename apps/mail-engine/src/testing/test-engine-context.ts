import { loadConfig, type Config } from '@darwin/config';
import { createLogger, type Logger } from '@darwin/logger';
import type { MailStore } from '@darwin/mail-store';
import { Authenticator } from '../auth/authenticator.js';
import type { EngineContext } from '../engine-context.js';
import { generateSelfSigned } from '../tls/self-signed.js';
import { tlsMaterialFromPem, type TlsMaterial } from '../tls/tls-material.js';

let tls: Promise<TlsMaterial & { certPem: string }> | undefined;

/** One self-signed certificate per test process (RSA key generation takes a moment). */
export function testTls(): Promise<TlsMaterial & { certPem: string }> {
  tls ??= generateSelfSigned('mail.darwin.test').then((p) => ({ ...tlsMaterialFromPem(Buffer.from(p.certPem), Buffer.from(p.keyPem), true), certPem: p.certPem }));
  return tls;
}

export interface TestContextOptions {
  readonly store: MailStore;
  /** Settings on top of the test defaults (fast failure delay, plaintext allowed). */
  readonly env?: Record<string, string>;
  readonly config?: Config;
  readonly logger?: Logger;
  readonly auth?: Authenticator;
}

/** An EngineContext for protocol tests: real store, fast failure delays, a test certificate. */
export async function createTestEngineContext(opts: TestContextOptions): Promise<EngineContext> {
  const config = opts.config ?? loadConfig({ DARWIN_AUTH_FAILURE_DELAY: '10ms', DARWIN_PLAINTEXT_AUTH: 'always', DARWIN_HOSTNAME: 'mail.darwin.test', ...opts.env });
  const logger = opts.logger ?? createLogger({ app: 'test' }, { level: 'error' });
  const auth = opts.auth ?? new Authenticator({ store: opts.store, logger, failureDelayMs: config.authFailureDelay });
  return { config, store: opts.store, logger, auth, tls: await testTls() };
}
