import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64.js';
import { findMechanism, LOGIN, parsePlainMessage, PLAIN, type SaslStep } from './mechanisms.js';

const b = (s: string) => Buffer.from(s, 'utf8');
const credentials = (username: string, password: string): SaslStep => ({ kind: 'credentials', username, password });

describe('decodeBase64 (strict RFC 4648)', () => {
  it.each([
    ['', ''],
    ['QQ==', 'A'],
    ['QUI=', 'AB'],
    ['QUJD', 'ABC'],
    ['AHVzZXIAcGFzcw==', '\0user\0pass'],
  ])('decodes %j', (text, plain) => {
    expect(decodeBase64(text)?.toString('latin1')).toBe(plain);
  });

  it.each([
    ['not base64!', 'characters outside the alphabet'],
    ['QQ', 'missing padding'],
    ['QQ=', 'short padding'],
    ['Q===', 'too much padding'],
    ['QQ==QQ==', 'padding in the middle'],
    ['QR==', 'non-zero bits in the last character'],
    ['QUJD\r', 'a trailing CR'],
    [' QUJD', 'a leading space'],
    ['QU JD', 'an inner space'],
    ['QUJD-_', 'the URL-safe alphabet'],
    ['*', 'the cancel marker'],
  ])('rejects %j (%s)', (text) => {
    expect(decodeBase64(text)).toBeUndefined();
  });

  it('round-trips random bytes, and rejects every corrupted encoding Node would have accepted', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 500; i++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 256)));
      const text = encodeBase64(bytes);
      expect(decodeBase64(text)?.equals(bytes)).toBe(true);
      if (text.length > 0) {
        const at = Math.floor(rand() * text.length);
        const broken = text.slice(0, at) + '#' + text.slice(at + 1);
        expect(decodeBase64(broken)).toBeUndefined();
      }
    }
  });
});

describe('PLAIN (RFC 4616)', () => {
  it.each<[string, SaslStep]>([
    ['\0user@x.test\0secret', credentials('user@x.test', 'secret')],
    ['\0user@x.test\0pass with spaces and ünïcode', credentials('user@x.test', 'pass with spaces and ünïcode')],
    ['user@x.test\0user@x.test\0secret', { kind: 'credentials', username: 'user@x.test', password: 'secret', authzid: 'user@x.test' }],
    ['USER@x.test\0user@X.test\0secret', { kind: 'credentials', username: 'user@X.test', password: 'secret', authzid: 'USER@x.test' }],
    ['admin@x.test\0user@x.test\0secret', { kind: 'refused', reason: 'authzid' }],
    ['user@x.test\0secret', { kind: 'refused', reason: 'malformed' }],
    ['\0\0secret', { kind: 'refused', reason: 'malformed' }],
    ['\0user@x.test\0', { kind: 'refused', reason: 'malformed' }],
    ['\0user@x.test\0se\0cret', { kind: 'refused', reason: 'malformed' }],
    ['', { kind: 'refused', reason: 'malformed' }],
  ])('parses %j', (message, step) => {
    expect(parsePlainMessage(b(message))).toEqual(step);
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(parsePlainMessage(Buffer.from([0, 0x75, 0, 0xff, 0xfe]))).toEqual({ kind: 'refused', reason: 'malformed' });
  });

  it('takes the message as initial response, or after an empty challenge', () => {
    expect(PLAIN.create().start(b('\0u@x.test\0pw'))).toEqual(credentials('u@x.test', 'pw'));
    const ex = PLAIN.create();
    expect(ex.start(undefined)).toEqual({ kind: 'challenge', challenge: Buffer.alloc(0) });
    expect(ex.next(b('\0u@x.test\0pw'))).toEqual(credentials('u@x.test', 'pw'));
    expect(ex.next(b('\0u@x.test\0pw'))).toEqual({ kind: 'refused', reason: 'malformed' });
  });

  it('treats an empty initial response ("=") as a malformed message', () => {
    expect(PLAIN.create().start(Buffer.alloc(0))).toEqual({ kind: 'refused', reason: 'malformed' });
  });
});

describe('LOGIN', () => {
  it('asks for the user name, then the password', () => {
    const ex = LOGIN.create();
    expect(ex.start(undefined)).toEqual({ kind: 'challenge', challenge: b('Username:') });
    expect(ex.next(b('u@x.test'))).toEqual({ kind: 'challenge', challenge: b('Password:') });
    expect(ex.next(b('pw'))).toEqual(credentials('u@x.test', 'pw'));
    expect(ex.next(b('more'))).toEqual({ kind: 'refused', reason: 'malformed' });
  });

  it('takes the user name as initial response', () => {
    const ex = LOGIN.create();
    expect(ex.start(b('u@x.test'))).toEqual({ kind: 'challenge', challenge: b('Password:') });
    expect(ex.next(b('pw'))).toEqual(credentials('u@x.test', 'pw'));
  });

  it('refuses an empty user name or password', () => {
    expect(LOGIN.create().start(Buffer.alloc(0))).toEqual({ kind: 'refused', reason: 'malformed' });
    const ex = LOGIN.create();
    ex.start(b('u@x.test'));
    expect(ex.next(Buffer.alloc(0))).toEqual({ kind: 'refused', reason: 'malformed' });
  });
});

describe('findMechanism', () => {
  it('finds PLAIN and LOGIN case-insensitively, nothing else', () => {
    expect(findMechanism('plain')).toBe(PLAIN);
    expect(findMechanism('Login')).toBe(LOGIN);
    expect(findMechanism('CRAM-MD5')).toBeUndefined();
    expect(findMechanism('')).toBeUndefined();
  });
});
