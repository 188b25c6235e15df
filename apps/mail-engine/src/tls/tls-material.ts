import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createSecureContext, type SecureContext, type TlsOptions } from 'node:tls';
import type { Config } from '@darwin/config';
import type { Logger } from '@darwin/logger';
import { generateSelfSigned } from './self-signed.js';

/** Certificate and key for every TLS listener and STARTTLS upgrade of the engine. */
export interface TlsMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** For upgrading an accepted socket in place (STARTTLS/STLS): `new TLSSocket(s, { isServer: true, secureContext })`. */
  readonly secureContext: SecureContext;
  /** For listeners with implicit TLS (`tls.createServer`), which ignores a `secureContext` option. */
  readonly serverOptions: TlsOptions;
  /** True for the generated development certificate (clients must be told to accept it). */
  readonly selfSigned: boolean;
}

/** TLS 1.2 is the floor (RFC 8996 deprecates 1.0 and 1.1). */
export const MIN_TLS_VERSION = 'TLSv1.2' as const;

export function tlsMaterialFromPem(cert: Buffer, key: Buffer, selfSigned: boolean): TlsMaterial {
  const options: TlsOptions = { cert, key, minVersion: MIN_TLS_VERSION };
  return { cert, key, selfSigned, secureContext: createSecureContext(options), serverOptions: options };
}

/**
 * The configured certificate (DARWIN_TLS_CERT + DARWIN_TLS_KEY), or a self-signed one generated
 * once into DARWIN_DATA_DIR/tls and reused on later starts.
 */
export async function loadTlsMaterial(config: Config, logger: Logger): Promise<TlsMaterial> {
  if (config.tlsCert || config.tlsKey) {
    if (!config.tlsCert || !config.tlsKey) throw new Error('DARWIN_TLS_CERT and DARWIN_TLS_KEY must be set together');
    return tlsMaterialFromPem(await readFile(config.tlsCert), await readFile(config.tlsKey), false);
  }
  const dir = resolve(config.dataDir, 'tls');
  const certPath = join(dir, 'self-signed.crt');
  const keyPath = join(dir, 'self-signed.key');
  try {
    return tlsMaterialFromPem(await readFile(certPath), await readFile(keyPath), true);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  logger.warn('no TLS certificate configured: generating a self-signed one', { cert: certPath, hostname: config.hostname });
  const pair = await generateSelfSigned(config.hostname);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(keyPath, pair.keyPem, { mode: 0o600 });
  await writeFile(certPath, pair.certPem, { mode: 0o644 });
  return tlsMaterialFromPem(Buffer.from(pair.certPem), Buffer.from(pair.keyPem), true);
}
