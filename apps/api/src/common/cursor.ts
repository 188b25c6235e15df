import { validation } from '@darwin/core';
import { isUuid } from './validate.js';

/**
 * Position in a list ordered by (sort value, id). Times are kept in whole microseconds since the
 * epoch, PostgreSQL's own precision: a JavaScript Date would round them to milliseconds and skip or
 * repeat rows created within the same millisecond. The cursor names the ordering it belongs to, so
 * a cursor from a list sorted one way cannot be used on the same list sorted another way.
 */
export type SortKind = 'time' | 'int' | 'text';
export type IdKind = 'uuid' | 'bigint';

export interface CursorKey {
  /** The ordering: field and direction, e.g. `createdAt:ASC`. */
  readonly sort: string;
  readonly value: string;
  readonly id: string;
}

/** Opaque to clients: base64url of a small JSON array. */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.sort, key.value, key.id]), 'utf8').toString('base64url');
}

const INTEGER = /^-?\d{1,20}$/;

export function decodeCursor(cursor: string, expected: { sort: string; kind: SortKind; idKind: IdKind }): CursorKey {
  if (cursor.length > 1500 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((p) => typeof p === 'string')) throw invalidCursor();
  const [sort, value, id] = parsed as [string, string, string];
  if (sort !== expected.sort) throw validation('This cursor belongs to a list in another order', { field: 'after' });
  if (expected.kind !== 'text' && !INTEGER.test(value)) throw invalidCursor();
  if (expected.idKind === 'uuid' ? !isUuid(id) : !/^\d{1,19}$/.test(id)) throw invalidCursor();
  return { sort, value, id: id.toLowerCase() };
}

function invalidCursor() {
  return validation('Invalid cursor', { field: 'after' });
}
