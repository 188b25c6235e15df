import { describe, expect, it } from 'vitest';
import { isWellFormedEnvelopeAddress, normalizeDomain, normalizeLocalPart, parseAddress } from './address.js';

describe('normalizeDomain', () => {
  it.each([
    ['Example.COM', 'example.com'],
    ['example.com.', 'example.com'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['XN--BCHER-KVA.example', 'xn--bcher-kva.example'],
  ])('%s -> %s', (input, out) => expect(normalizeDomain(input)).toBe(out));

  it.each(['localhost', '', '-bad.example', 'bad-.example', 'a..b', 'a'.repeat(64) + '.example', 'sp ace.example'])('refuses %j', (input) => {
    expect(normalizeDomain(input)).toBeUndefined();
  });

  it('accepts a single label only when asked', () => {
    expect(normalizeDomain('vm', { minLabels: 1 })).toBe('vm');
  });
});

describe('parseAddress', () => {
  it('normalises case and IDNA and strips angle brackets', () => {
    expect(parseAddress('<Alice@Bücher.Example>')).toEqual({ localPart: 'alice', domain: 'xn--bcher-kva.example', address: 'alice@xn--bcher-kva.example' });
  });

  it.each(['', 'no-at-sign', '@example.com', 'user@', '.dot@example.com', 'a..b@example.com', 'user@localhost', `${'a'.repeat(65)}@example.com`])('refuses %j', (input) => {
    expect(parseAddress(input)).toBeUndefined();
  });

  it('keeps UTF-8 local parts (SMTPUTF8)', () => {
    expect(normalizeLocalPart('Jürgen')).toBe('jürgen');
  });
});

describe('isWellFormedEnvelopeAddress', () => {
  it.each(['root@vm', 'user@example.com', 'user@[192.0.2.1]', 'user@[IPv6:2001:db8::1]', 'jürgen@bücher.example'])('accepts %j', (input) => {
    expect(isWellFormedEnvelopeAddress(input)).toBe(true);
  });

  it.each(['', 'root', '@vm', 'root@', 'a b@example.com', 'user@exa mple.com', 'user@[999.1]'])('refuses %j', (input) => {
    expect(isWellFormedEnvelopeAddress(input)).toBe(false);
  });
});
