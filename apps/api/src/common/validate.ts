import { validation } from '@darwin/core';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// C0/C1 control characters: never useful in names shown in a console, and a way to forge log lines.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Ids are UUIDs; anything else cannot name a row, so lookups treat it as "not found". */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A required, trimmed, single-line text of at most `max` characters. */
export function requireText(value: string, field: string, max: number): string {
  const v = value.trim();
  if (v.length === 0) throw validation(`${field} must not be empty`, { field });
  if (v.length > max) throw validation(`${field} must be at most ${max} characters`, { field, max });
  if (CONTROL.test(v)) throw validation(`${field} must not contain control characters`, { field });
  return v;
}

/** Like requireText, but null/undefined/blank mean "not given". */
export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  return requireText(value, field, max);
}

/** A byte count: a non-negative integer that a double holds exactly. */
export function requireByteCount(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw validation(`${field} must be a whole number of bytes, 0 or more`, { field });
  return value;
}
