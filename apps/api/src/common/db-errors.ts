import { conflict } from '@darwin/core';

const UNIQUE_VIOLATION = '23505';

/** True for a PostgreSQL unique-constraint violation, as raised through TypeORM or pg. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  return e.code === UNIQUE_VIOLATION || e.driverError?.code === UNIQUE_VIOLATION;
}

/**
 * Runs a write whose uniqueness was checked just before: a concurrent request can still win the
 * race, and the constraint then answers CONFLICT instead of an internal error.
 */
export async function uniqueOrConflict<T>(write: Promise<T>, message: string, details?: Record<string, unknown>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(message, details);
    throw err;
  }
}
