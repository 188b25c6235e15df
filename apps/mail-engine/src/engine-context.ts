import type { Config } from '@darwin/config';
import type { Logger } from '@darwin/logger';
import type { MailStore } from '@darwin/mail-store';
import type { Authenticator } from './auth/authenticator.js';
import type { TlsMaterial } from './tls/tls-material.js';

/** What every protocol server of the engine is built from; passed explicitly, no globals. */
export interface EngineContext {
  readonly config: Config;
  readonly store: MailStore;
  readonly auth: Authenticator;
  readonly logger: Logger;
  /** Certificate for implicit TLS listeners and STARTTLS/STLS upgrades. */
  readonly tls: TlsMaterial;
}

/** Whether a client at this address may send a password without TLS (DARWIN_PLAINTEXT_AUTH). */
export function plaintextAllowed(config: Config, remoteAddress: string | undefined): boolean {
  if (config.plaintextAuth === 'always') return true;
  if (config.plaintextAuth === 'never') return false;
  const ip = (remoteAddress ?? '').replace(/^::ffff:/, '');
  return ip === '127.0.0.1' || ip.startsWith('127.') || ip === '::1';
}
