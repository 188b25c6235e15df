/** The periods the overview's charts offer (`?days=`), 30 days by default. */
export const RANGES = [
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 365, label: '1 year' },
] as const;

export const DEFAULT_DAYS = 30;

/** The period asked for in the URL, when it is one of RANGES; the default otherwise. */
export function rangeDays(param: string | string[] | undefined): number {
  const value = Number(Array.isArray(param) ? param[0] : param);
  return RANGES.some((r) => r.days === value) ? value : DEFAULT_DAYS;
}
