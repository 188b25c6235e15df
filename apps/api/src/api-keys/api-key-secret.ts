import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `dmk_k3x9q2mf_<43 characters>`: a fixed marker (so scanners and people can tell
 * what leaked), a visible random id that is stored in clear and shown in lists and audit rows (the
 * "prefix"), and 256 random bits. Only the SHA-256 of the whole key is stored: the key is random
 * and long, so a slow password hash would add nothing.
 */
export const API_KEY_MARKER = 'dmk_';
const ID_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const KEY = /^dmk_([a-z2-9]{8})_([A-Za-z0-9_-]{43})$/;

export interface NewApiKey {
  readonly key: string;
  readonly prefix: string;
  readonly secretHash: string;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function newApiKey(): NewApiKey {
  const idBytes = randomBytes(8);
  const id = [...idBytes].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
  const prefix = `${API_KEY_MARKER}${id}`;
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, secretHash: hashApiKey(key) };
}

export function looksLikeApiKey(credential: string): boolean {
  return credential.startsWith(API_KEY_MARKER);
}

/** The prefix to look the key up by, or undefined when the text is not an API key at all. */
export function apiKeyPrefix(key: string): string | undefined {
  const m = KEY.exec(key);
  return m ? `${API_KEY_MARKER}${m[1]}` : undefined;
}

export function apiKeyMatches(key: string, storedHash: string): boolean {
  const given = Buffer.from(hashApiKey(key), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
