const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1 MB here is 1024 × 1024 bytes, the unit the API's plans and quotas are written in. */
export const BYTES_PER_MB = 1024 * 1024;

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
