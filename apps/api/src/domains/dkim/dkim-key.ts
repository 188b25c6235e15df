import { createPrivateKey, createPublicKey, generateKeyPair as generateKeyPairCb } from 'node:crypto';
import { promisify } from 'node:util';
import { validation } from '@darwin/core';

const generateKeyPair = promisify(generateKeyPairCb);

/** RSA 2048 is what RFC 8301 asks signers for; imported keys may be 1024 to 4096 bits. */
export const DKIM_KEY_BITS = 2048;
export const MIN_IMPORT_BITS = 1024;
export const MAX_IMPORT_BITS = 4096;
const MAX_PEM_LENGTH = 16 * 1024;

export interface DkimKeyPair {
  /** PKCS#8 PEM; stays in the database, never leaves through the API. */
  readonly privateKeyPem: string;
  /** SPKI PEM. */
  readonly publicKeyPem: string;
}

/** A new RSA 2048 key pair, made on libuv's thread pool (not blocking the event loop). */
export async function generateDkimKey(): Promise<DkimKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('rsa', {
    modulusLength: DKIM_KEY_BITS,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** Checks an imported private key (PEM, PKCS#1 or PKCS#8, RSA) and derives its public half. */
export function importDkimKey(pem: string): DkimKeyPair {
  const invalid = (why: string) => validation(`Invalid DKIM private key: ${why}`, { field: 'privateKeyPem' });
  if (pem.length > MAX_PEM_LENGTH || !pem.includes('-----BEGIN')) throw invalid('expected a PEM private key');
  if (/ENCRYPTED/.test(pem)) throw invalid('encrypted keys are not accepted');
  let key;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw invalid('not a readable private key');
  }
  if (key.asymmetricKeyType !== 'rsa') throw invalid('only RSA keys are supported');
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_IMPORT_BITS || bits > MAX_IMPORT_BITS) throw invalid(`RSA keys of ${MIN_IMPORT_BITS} to ${MAX_IMPORT_BITS} bits only (got ${bits})`);
  return {
    privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** The `p=` value of the DKIM record: the base64 of the DER SubjectPublicKeyInfo. */
export function dkimPublicKeyValue(publicKeyPem: string): string {
  return createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' }).toString('base64');
}

/** The TXT record published at `<selector>._domainkey.<domain>` (RFC 6376 section 3.6.1). */
export function dkimRecordValue(publicKeyPem: string): string {
  return `v=DKIM1; k=rsa; p=${dkimPublicKeyValue(publicKeyPem)}`;
}

const SELECTOR = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Selectors are one DNS label here (lower case letters, digits, hyphens). */
export function normalizeSelector(value: string): string {
  const s = value.trim().toLowerCase();
  if (!SELECTOR.test(s)) throw validation('A selector is one DNS label: letters, digits and hyphens, at most 63', { field: 'selector' });
  return s;
}

/** `dm20261126`, or with the time when that is the current selector already (a rotation the same day). */
export function defaultSelector(now: Date, current: string | null): string {
  const iso = now.toISOString();
  const day = `dm${iso.slice(0, 10).replace(/-/g, '')}`;
  return day === current ? `dm${iso.slice(0, 19).replace(/[-:T]/g, '')}` : day;
}
