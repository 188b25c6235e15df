import { describe, expect, it } from 'vitest';
import { DomainError } from '@darwin/core';
import { decodeCursor, encodeCursor } from './cursor.js';
import { pageSize, sortSpec } from './connection.js';

describe('cursors', () => {
  const key = { sort: 'createdAt:ASC', value: '1795710820613123', id: '0f8fad5b-d9cb-469f-a165-70867728950e' };
  const expected = { sort: 'createdAt:ASC', kind: 'time', idKind: 'uuid' } as const;

  it('round-trip and are opaque base64url', () => {
    const sut = encodeCursor(key);
    expect(sut).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(sut, expected)).toEqual(key);
    const text = { sort: 'name:DESC', value: "O'Brien, \u00e9", id: '42' };
    expect(decodeCursor(encodeCursor(text), { sort: 'name:DESC', kind: 'text', idKind: 'bigint' })).toEqual(text);
  });

  it('refuse tampered or foreign values with VALIDATION', () => {
    const bad = [
      '',
      'not base64!',
      Buffer.from('123:not-a-uuid').toString('base64url'),
      encodeCursor({ ...key, id: 'not-a-uuid' }),
      encodeCursor({ ...key, value: '12; DROP TABLE x' }),
      Buffer.from(JSON.stringify([1, 2, 3])).toString('base64url'),
      'A'.repeat(2000),
    ];
    for (const c of bad) {
      expect(() => decodeCursor(c, expected)).toThrow(DomainError);
      try {
        decodeCursor(c, expected);
      } catch (e) {
        expect((e as DomainError).code).toBe('VALIDATION');
      }
    }
  });

  it('refuse a cursor made for another order of the list', () => {
    expect(() => decodeCursor(encodeCursor(key), { ...expected, sort: 'createdAt:DESC' })).toThrow(/another order/);
  });
});

describe('page size and order', () => {
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
  it('maps an orderBy to a column, with a default', () => {
    const fields = { NAME: { property: 'name', kind: 'text' }, CREATED_AT: { property: 'createdAt', kind: 'time' } } as const;
    expect(sortSpec(fields, undefined, { field: 'CREATED_AT', direction: 'DESC' })).toEqual({ property: 'createdAt', kind: 'time', direction: 'DESC' });
    expect(sortSpec(fields, { field: 'NAME' }, { field: 'CREATED_AT', direction: 'DESC' })).toEqual({ property: 'name', kind: 'text', direction: 'ASC' });
  });
});
