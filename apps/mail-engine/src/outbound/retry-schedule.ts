/**
 * When to try a deferred recipient again: Haraka-style plain configuration
 * (DARWIN_RETRY_SCHEDULE=5m,10m,20m,40m,80m,160m,4h; the last wait repeats) and a lifetime
 * (DARWIN_QUEUE_LIFETIME=5d) after which the recipient is returned to the sender.
 */
export interface RetryPolicy {
  /** Waits in milliseconds after the 1st, 2nd, ... failed attempt; the last one repeats. */
  readonly schedule: readonly number[];
}

export type NextStep = { readonly kind: 'retry'; readonly at: Date } | { readonly kind: 'expired' };

/** The wait after `attemptsMade` failed attempts (1 = the first attempt failed). */
export function retryDelay(schedule: readonly number[], attemptsMade: number): number {
  if (schedule.length === 0) throw new Error('empty retry schedule');
  const i = Math.min(Math.max(attemptsMade, 1), schedule.length) - 1;
  return schedule[i]!;
}

/**
 * After a temporary failure: retry on schedule, but never later than the expiry, so the last
 * attempt happens when the lifetime ends; a failure at or after the expiry gives up.
 */
export function nextStep(policy: RetryPolicy, attemptsMade: number, expiresAt: Date, now: Date = new Date()): NextStep {
  if (now.getTime() >= expiresAt.getTime()) return { kind: 'expired' };
  const at = Math.min(now.getTime() + retryDelay(policy.schedule, attemptsMade), expiresAt.getTime());
  return { kind: 'retry', at: new Date(at) };
}
