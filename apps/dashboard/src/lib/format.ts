const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1 MB here is 1024 × 1024 bytes, the unit the API's plans and quotas are written in. */
export const BYTES_PER_MB = 1024 * 1024;
export const BYTES_PER_GB = 1024 * BYTES_PER_MB;

/** Human-readable size in binary units labelled KB/MB/GB, as mail hosts usually show quotas. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 || Number.isInteger(value) ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return new Intl.NumberFormat('en', { maximumFractionDigits: 1 }).format(n);
}

/** A percentage as people read it: "<1%" rather than "0%" when something is used. */
export function formatPercent(percent: number): string {
  if (percent > 0 && percent < 1) return '<1%';
  return `${Math.round(percent)}%`;
}

/** Date and time in UTC, the same on the server and in every browser (no hydration mismatch). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : d.toISOString().slice(0, 10);
}

/** YYYY-MM-DD of a day `daysAgo` before today, in UTC (the API's days are UTC). */
export function utcDay(daysAgo = 0, now = Date.now()): string {
  return new Date(now - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

/** Every day from `from` to `to` inclusive (YYYY-MM-DD, UTC). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * Parses a size typed by a person: "500" (in the given default unit), "500 MB", "2 GB", "1.5g".
 * Answers bytes, or undefined when it is not a positive size.
 */
export function parseSize(text: string, defaultUnit: 'MB' | 'GB' = 'MB'): number | undefined {
  const match = /^\s*(\d+(?:[.,]\d+)?)\s*(k|kb|m|mb|g|gb|t|tb)?\s*$/i.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]!.replace(',', '.'));
  const unit = (match[2] ?? defaultUnit).toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? BYTES_PER_MB : unit === 'g' ? BYTES_PER_GB : 1024 * BYTES_PER_GB;
  const bytes = Math.round(value * factor);
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** A size in the unit people type, for pre-filling an input: "512 MB", "10 GB". */
export function sizeInputValue(bytes: number): string {
  if (bytes % BYTES_PER_GB === 0) return `${bytes / BYTES_PER_GB} GB`;
  return `${Math.round((bytes / BYTES_PER_MB) * 100) / 100} MB`;
}

export function shortId(id: string | null | undefined): string {
  return id ? id.slice(0, 8) : '—';
}
