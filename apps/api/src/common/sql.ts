import type { DataSource, EntityManager } from '@darwin/db';

/**
 * Rows of a hand-written statement. TypeORM answers `[rows, rowCount]` for UPDATE and DELETE (with
 * or without RETURNING) and plain rows otherwise; this always answers the rows.
 */
export async function sqlRows<T = Record<string, unknown>>(m: EntityManager | DataSource, sql: string, params: unknown[] = []): Promise<T[]> {
  const result: unknown = await m.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
