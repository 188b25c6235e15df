import { validation } from '@darwin/core';
import type { PageArgs } from '../common/connection.js';
import type { Page } from '../common/connection.js';
import { validateJson, type JsonSchema } from './json-schema.js';
import { SCHEMAS, type SchemaName } from './rest-schemas.js';

/** A request body checked against its schema: VALIDATION naming the first bad field otherwise. */
export function parseBody<T>(name: SchemaName, body: unknown): T {
  const problems = validateJson(body ?? null, SCHEMAS[name] as JsonSchema, SCHEMAS as Record<string, JsonSchema>);
  if (problems.length > 0) {
    const first = problems[0]!;
    const field = first.path.replace(/^\//, '').split('/')[0] || 'body';
    throw validation(`${field} ${first.message}`, { field });
  }
  return body as T;
}

export type QueryValues = Record<string, unknown>;

function text(query: QueryValues, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw validation(`${name} must be given once`, { field: name });
  return v;
}

export function optionalQuery(query: QueryValues, name: string): string | undefined {
  return text(query, name);
}

export function requiredQuery(query: QueryValues, name: string): string {
  const v = text(query, name);
  if (v === undefined || v === '') throw validation(`${name} is required`, { field: name });
  return v;
}

/** `limit` and `cursor` query parameters as page arguments. */
export function pageQuery(query: QueryValues): PageArgs {
  const limit = text(query, 'limit');
  if (limit !== undefined && !/^\d{1,3}$/.test(limit)) throw validation('limit must be an integer from 1 to 200', { field: 'limit' });
  const first = limit === undefined ? undefined : Number(limit);
  if (first !== undefined && (first < 1 || first > 200)) throw validation('limit must be an integer from 1 to 200', { field: 'limit' });
  return { first, after: text(query, 'cursor') ?? null };
}

export interface RestPage<T> {
  items: T[];
  nextCursor: string | null;
  totalCount: number;
}

export function toRestPage<E, T>(page: Page<E>, map: (e: E) => T): RestPage<T> {
  return { items: page.nodes.map(map), nextCursor: page.hasNextPage ? page.endCursor : null, totalCount: page.totalCount };
}
