import { validation } from '@darwin/core';
import { isUuid } from './validate.js';

/**
 * Position in a list ordered by (created_at, id). The time is kept in whole microseconds since the
 * epoch, PostgreSQL's own precision: a JavaScript Date would round it to milliseconds and skip or
 * repeat rows created within the same millisecond.
 */
export interface CursorKey {
  readonly createdAtMicros: string;
  readonly id: string;
}

/** Opaque to clients: base64url of `micros:id`. */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(`${key.createdAtMicros}:${key.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorKey {
  if (cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^(-?\d{1,20}):(.+)$/.exec(text);
  if (!m || !isUuid(m[2]!)) throw invalidCursor();
  return { createdAtMicros: m[1]!, id: m[2]!.toLowerCase() };
}

function invalidCursor() {
  return validation('Invalid cursor', { field: 'after' });
}
