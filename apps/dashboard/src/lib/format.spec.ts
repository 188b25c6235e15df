import { describe, expect, it } from 'vitest';
import { daysBetween, formatBytes, formatPercent, parseSize, sizeInputValue } from './format';

describe('format', () => {
  it('reads sizes as people type them, in binary units', () => {
    expect(parseSize('500')).toBe(500 * 1024 * 1024);
    expect(parseSize('2 GB')).toBe(2 * 1024 ** 3);
    expect(parseSize('1,5g')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('10 mb')).toBe(10 * 1024 ** 2);
    expect(parseSize('512', 'GB')).toBe(512 * 1024 ** 3);
    for (const bad of ['', '0', '-1', 'lots', '5 PB', '1e3']) expect(parseSize(bad), bad).toBeUndefined();
  });

  it('writes sizes back in the unit they are easiest to edit in', () => {
    expect(sizeInputValue(10 * 1024 ** 3)).toBe('10 GB');
    expect(sizeInputValue(100 * 1024 ** 2)).toBe('100 MB');
    expect(parseSize(sizeInputValue(1536 * 1024 ** 2))).toBe(1536 * 1024 ** 2);
    expect(formatBytes(200 * 1024 ** 2)).toBe('200 MB');
    expect(formatBytes(0)).toBe('0 B');
  });

  it('shows tiny usage as <1% rather than 0%', () => {
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.2)).toBe('<1%');
    expect(formatPercent(79.6)).toBe('80%');
  });

  it('lists every UTC day of a range, inclusive', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(daysBetween('2026-03-02', '2026-03-01')).toEqual([]);
  });
});
