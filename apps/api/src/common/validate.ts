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

/** A filter argument that must name a row: anything that is not a UUID matches nothing. */
export function uuidOrNone(value: string): string {
  return isUuid(value) ? value : '00000000-0000-0000-0000-000000000000';
}

/** An integer within [min, max]. */
export function requireInt(value: number, field: string, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) throw validation(`${field} must be a whole number from ${min} to ${max}`, { field, min, max });
  return value;
}

/** Multi-line text (vacation bodies): any length up to `max`, no NUL or other C0 controls but tab and line breaks. */
export function optionalMultilineText(value: string | null | undefined, field: string, max: number): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  if (value.length > max) throw validation(`${field} must be at most ${max} characters`, { field, max });
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) throw validation(`${field} must not contain control characters`, { field });
  return value;
}

/** `%text%` for ILIKE, with the pattern characters of the text escaped (default escape `\`). */
export function containsPattern(text: string): string {
  return `%${text.slice(0, 200).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
