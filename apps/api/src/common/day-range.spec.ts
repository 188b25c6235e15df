import { describe, expect, it } from 'vitest';
import { DomainError } from '@darwin/core';
import { MAX_RANGE_DAYS, parseDayRange } from './day-range.js';

function refusal(from: string, to: string): { code: string; field: unknown } {
  try {
    parseDayRange(from, to);
  } catch (err) {
    if (err instanceof DomainError) return { code: err.code, field: err.details?.field };
    throw err;
  }
  throw new Error('accepted');
}

describe('day ranges', () => {
  it('accepts one day up to MAX_RANGE_DAYS days, inclusive', () => {
    expect(parseDayRange('2026-03-01', '2026-03-01')).toEqual({ from: '2026-03-01', to: '2026-03-01' });
    expect(parseDayRange('2024-01-01', '2024-12-31').to).toBe('2024-12-31'); // 366 days in a leap year
    expect(MAX_RANGE_DAYS).toBe(366);
  });

  it('refuses malformed and impossible days, reversed and too long ranges, naming the field', () => {
    expect(refusal('2026-02-30', '2026-03-01')).toEqual({ code: 'VALIDATION', field: 'from' });
    expect(refusal('2026-01-01', '26-1-2')).toEqual({ code: 'VALIDATION', field: 'to' });
    expect(refusal('2026-03-02', '2026-03-01')).toEqual({ code: 'VALIDATION', field: 'from' });
    expect(refusal('2025-01-01', '2026-01-02')).toEqual({ code: 'VALIDATION', field: 'to' });
  });
});
