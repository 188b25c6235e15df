import { validation } from '@darwin/core';

/** Longest period one per-day query (traffic, statistics) may cover. */
export const MAX_RANGE_DAYS = 366;

export interface DayRange {
  /** YYYY-MM-DD (UTC), inclusive. */
  readonly from: string;
  readonly to: string;
}

/**
 * Checks `from` and `to` (YYYY-MM-DD, real calendar days, `to` inclusive): VALIDATION naming the
 * field when a day is malformed, `from` is after `to`, or the range covers more than
 * MAX_RANGE_DAYS days.
 */
export function parseDayRange(from: string, to: string): DayRange {
  const range = { from: parseDay(from, 'from'), to: parseDay(to, 'to') };
  const days = (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000;
  if (days < 0) throw validation('from must not be after to', { field: 'from' });
  if (days >= MAX_RANGE_DAYS) throw validation(`At most ${MAX_RANGE_DAYS} days at once`, { field: 'to', max: MAX_RANGE_DAYS });
  return range;
}

function parseDay(value: string, field: string): string {
  // Date.parse accepts 2026-02-30 (rolling over): compare the day it read with the one given.
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) throw validation(`${field} must be a date as YYYY-MM-DD`, { field });
  return value;
}
