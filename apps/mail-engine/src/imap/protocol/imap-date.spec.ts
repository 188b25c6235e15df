import { describe, expect, it } from 'vitest';
import { formatDateTime, parseDateTime } from './imap-date.js';

describe('formatDateTime', () => {
  it.each([
    ['2026-03-05T09:04:00.000Z', '05-Mar-2026 09:04:00 +0000'],
    ['2026-11-26T23:59:59.999Z', '26-Nov-2026 23:59:59 +0000'],
    ['1999-12-31T00:00:00Z', '31-Dec-1999 00:00:00 +0000'],
    ['2024-02-29T12:30:45Z', '29-Feb-2024 12:30:45 +0000'],
  ])('%s -> %j', (iso, expected) => {
    expect(formatDateTime(new Date(iso))).toBe(expected);
  });

  it('writes in UTC whatever the local zone', () => {
    expect(formatDateTime(new Date('2026-01-01T00:30:00+02:00'))).toBe('31-Dec-2025 22:30:00 +0000');
  });

  it('refuses an invalid date', () => {
    expect(() => formatDateTime(new Date(NaN))).toThrow(RangeError);
  });
});

describe('parseDateTime', () => {
  it.each([
    [' 5-Mar-2026 09:04:00 +0000', '2026-03-05T09:04:00.000Z'],
    ['5-mar-2026 09:04:00 +0000', '2026-03-05T09:04:00.000Z'],
    ['17-Jul-1996 02:44:25 -0700', '1996-07-17T09:44:25.000Z'],
    ['01-Jan-2026 01:00:00 +0130', '2025-12-31T23:30:00.000Z'],
  ])('%j', (text, iso) => {
    expect(parseDateTime(text)?.toISOString()).toBe(iso);
  });

  it.each(['', '31-Feb-2026 00:00:00 +0000', '1-Foo-2026 00:00:00 +0000', '1-Jan-26 00:00:00 +0000', '1-Jan-2026 24:00:00 +0000', '1-Jan-2026 00:00 +0000', '1-Jan-2026 00:00:00 0000'])(
    'rejects %j',
    (text) => {
      expect(parseDateTime(text)).toBeUndefined();
    },
  );

  it('round-trips with formatDateTime', () => {
    const d = new Date('2026-07-09T08:07:06.000Z');
    expect(parseDateTime(formatDateTime(d))?.getTime()).toBe(d.getTime());
  });
});
