/** Quota arithmetic shared by the store, the API and the protocol servers. */
export interface QuotaUsage {
  readonly usedBytes: number;
  readonly quotaBytes: number;
  readonly usedMessages: number;
  /** Null means no message-count limit. */
  readonly quotaMessages: number | null;
}

/** Whether `size` more bytes (and one more message) fit; a quota of 0 bytes means "nothing fits". */
export function fitsQuota(u: QuotaUsage, size: number): boolean {
  if (u.usedBytes + size > u.quotaBytes) return false;
  return u.quotaMessages === null || u.usedMessages + 1 <= u.quotaMessages;
}

export function isFull(u: QuotaUsage): boolean {
  return u.usedBytes >= u.quotaBytes || (u.quotaMessages !== null && u.usedMessages >= u.quotaMessages);
}

export function percentUsed(u: QuotaUsage): number {
  if (u.quotaBytes <= 0) return 100;
  return Math.min(100, Math.floor((u.usedBytes * 100) / u.quotaBytes));
}
