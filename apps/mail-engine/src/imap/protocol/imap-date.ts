/**
 * IMAP date-time (RFC 3501 section 9): `"dd-Mon-yyyy hh:mm:ss +zzzz"`, where a day below 10 is
 * padded with a space (`date-day-fixed`). INTERNALDATE is always written in UTC. Pure.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The date-time without the surrounding quotes, e.g. `05-Mar-2026 09:04:00 +0000`. */
export function formatDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid date');
  // date-day-fixed allows " 5" or "05"; Dovecot writes "05", and so do we.
  const day = String(date.getUTCDate()).padStart(2, '0');
  const year = String(date.getUTCFullYear()).padStart(4, '0');
  return `${day}-${MONTHS[date.getUTCMonth()]}-${year} ${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())} +0000`;
}

const DATE_TIME = /^( ?\d|\d{2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;

/** Parses an IMAP date-time (quotes removed), e.g. for APPEND; undefined when malformed. */
export function parseDateTime(text: string): Date | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const month = MONTHS.findIndex((name) => name.toLowerCase() === m[2]!.toLowerCase());
  const [day, year, hh, mm, ss, zh, zm] = [m[1]!, m[3]!, m[4]!, m[5]!, m[6]!, m[8]!, m[9]!].map((s) => Number(s.trim())) as [number, number, number, number, number, number, number];
  if (month < 0 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 || zm > 59) return undefined;
  const utc = Date.UTC(year, month, day, hh, mm, Math.min(ss, 59));
  const check = new Date(utc);
  if (check.getUTCDate() !== day) return undefined; // 31-Feb and the like
  const offset = (zh * 60 + zm) * 60_000 * (m[7] === '-' ? -1 : 1);
  return new Date(utc - offset);
}
