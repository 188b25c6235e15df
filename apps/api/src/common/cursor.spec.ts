import { describe, expect, it } from 'vitest';
import { DomainError } from '@darwin/core';
import { decodeCursor, encodeCursor } from './cursor.js';
import { pageSize } from './connection.js';

describe('cursors', () => {
  const key = { createdAtMicros: '1795710820613123', id: '0f8fad5b-d9cb-469f-a165-70867728950e' };

  it('round-trip and are opaque base64url', () => {
    const sut = encodeCursor(key);
    expect(sut).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(sut)).toEqual(key);
  });

  it('refuse tampered or foreign values with VALIDATION', () => {
    for (const bad of ['', 'not base64!', Buffer.from('123:not-a-uuid').toString('base64url'), Buffer.from('abc:' + key.id).toString('base64url'), 'A'.repeat(500)]) {
      expect(() => decodeCursor(bad)).toThrow(DomainError);
      try {
        decodeCursor(bad);
      } catch (e) {
        expect((e as DomainError).code).toBe('VALIDATION');
      }
    }
  });
});

describe('page size', () => {
  it('defaults to 50 and allows 0..200', () => {
    expect(pageSize(undefined)).toBe(50);
    expect(pageSize(null)).toBe(50);
    expect(pageSize(0)).toBe(0);
    expect(pageSize(200)).toBe(200);
  });
  it('refuses more than 200 or negative', () => {
    expect(() => pageSize(201)).toThrow(/first must be between 0 and 200/);
    expect(() => pageSize(-1)).toThrow(DomainError);
  });
});
