import { describe, expect, it } from 'vitest';
import { DEFAULT_DAYS, rangeDays } from './chart-range';

describe('rangeDays', () => {
  it('takes one of the offered periods from the URL, and 30 days for anything else', () => {
    expect(rangeDays('7')).toBe(7);
    expect(rangeDays(['365', '7'])).toBe(365);
    for (const bad of [undefined, '', '31', '-7', 'week', '1e3', '3650']) expect(rangeDays(bad)).toBe(DEFAULT_DAYS);
    expect(DEFAULT_DAYS).toBe(30);
  });
});
