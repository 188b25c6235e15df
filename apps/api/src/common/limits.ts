import { DomainError } from '@darwin/core';

/**
 * A plan limit reached: LIMIT_EXCEEDED with the numbers (which limit, its maximum, what exists now
 * and what was asked), so a console or billing system can explain it or offer an upgrade.
 */
export function limitExceeded(limit: string, max: number, figures: { current?: number; requested?: number }, message: string): DomainError {
  return new DomainError('LIMIT_EXCEEDED', message, { limit, max, ...figures });
}
