import { validation } from '@darwin/core';
import { ArgsType, Field, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { Type } from '@nestjs/common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { decodeCursor, encodeCursor, type IdKind, type SortKind } from './cursor.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page; null when the page is empty.' })
  endCursor!: string | null;
}

export interface ConnectionShape<T> {
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Base of every list type: `class TenantConnection extends Connection(Tenant) {}`. */
export function Connection<T>(node: Type<T>): Type<ConnectionShape<T>> {
  @ObjectType({ isAbstract: true })
  abstract class ConnectionType implements ConnectionShape<T> {
    @Field(() => [node])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Number of items in the whole list (all pages), as visible to the caller.' })
    totalCount!: number;
  }
  return ConnectionType as unknown as Type<ConnectionShape<T>>;
}

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection' });

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size, ${DEFAULT_PAGE_SIZE} when omitted, at most ${MAX_PAGE_SIZE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}

/**
 * `orderBy` input of one list: `class TenantOrder extends OrderBy(TenantOrderField, 'TenantOrderField') {}`.
 * The field enum's values are the sortable fields; each service maps them to columns.
 */
export function OrderBy<F extends string>(fieldEnum: Record<string, F>): Type<{ field: F; direction?: SortDirection | null }> {
  @InputType({ isAbstract: true })
  abstract class OrderInput {
    @Field(() => fieldEnum)
    field!: F;

    @Field(() => SortDirection, { nullable: true, description: 'ASC when omitted.' })
    direction?: SortDirection | null;
  }
  return OrderInput as unknown as Type<{ field: F; direction?: SortDirection | null }>;
}

/** How one list is ordered: a non-null column (by entity property) and a direction; id breaks ties. */
export interface SortSpec {
  readonly property: string;
  readonly kind: SortKind;
  readonly direction: 'ASC' | 'DESC';
}

export type SortableFields<F extends string> = Record<F, { readonly property: string; readonly kind: SortKind }>;

/** The sort spec for an `orderBy` argument, or the list's default when none is given. */
export function sortSpec<F extends string>(
  fields: SortableFields<F>,
  orderBy: { field: F; direction?: SortDirection | null } | null | undefined,
  fallback: { field: F; direction: 'ASC' | 'DESC' },
): SortSpec {
  const field = orderBy?.field ?? fallback.field;
  const def = fields[field];
  if (!def) throw validation('Unknown sort field', { field: 'orderBy' });
  return { ...def, direction: orderBy ? (orderBy.direction ?? 'ASC') : fallback.direction };
}

export const CREATED_ASC: SortSpec = { property: 'createdAt', kind: 'time', direction: 'ASC' };

/** One page of entities, before they are mapped to API types. */
export interface Page<E> {
  readonly nodes: E[];
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
  readonly totalCount: number;
}

export function pageSize(first: number | null | undefined): number {
  const n = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE_SIZE) {
    throw validation(`first must be between 0 and ${MAX_PAGE_SIZE}`, { field: 'first', max: MAX_PAGE_SIZE });
  }
  return n;
}

/**
 * Keyset pagination over (sort column, id) for any entity. The query builder arrives with its
 * filters (tenant scope included) and may join many-to-one relations; totalCount counts the same
 * filtered set, without the cursor.
 */
export async function paginate<E extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<E>,
  args: PageArgs,
  sort: SortSpec = CREATED_ASC,
  idKind: IdKind = 'uuid',
): Promise<Page<E>> {
  const first = pageSize(args.first);
  const sortName = `${sort.property}:${sort.direction}`;
  const after = args.after ? decodeCursor(args.after, { sort: sortName, kind: sort.kind, idKind }) : undefined;
  const a = qb.alias;
  const column = `${a}.${sort.property}`;
  // Always an expression: a bare property path in addSelect would re-select the entity column.
  const valueSql = sort.kind === 'time' ? `CAST(EXTRACT(EPOCH FROM ${column}) * 1000000 AS bigint)` : `CAST(${column} AS ${sort.kind === 'int' ? 'bigint' : 'text'})`;

  const countQuery = qb.clone();
  const pageQuery = qb
    .clone()
    .addSelect(valueSql, 'cursor_value')
    .orderBy(column, sort.direction)
    .addOrderBy(`${a}.id`, sort.direction)
    .limit(first + 1);
  if (after) {
    const op = sort.direction === 'ASC' ? '>' : '<';
    const afterValue =
      sort.kind === 'time'
        ? `TIMESTAMPTZ 'epoch' + CAST(:afterValue AS bigint) * INTERVAL '1 microsecond'`
        : sort.kind === 'int'
          ? 'CAST(:afterValue AS bigint)'
          : 'CAST(:afterValue AS text)';
    pageQuery.andWhere(`(${column}, ${a}.id) ${op} (${afterValue}, CAST(:afterId AS ${idKind}))`, { afterValue: after.value, afterId: after.id });
  }
  // Two independent reads, sent together (separate pool connections).
  const [totalCount, { entities, raw }] = await Promise.all([countQuery.getCount(), pageQuery.getRawAndEntities()]);
  // Raw rows carry the exact sort key; match them to entities by id rather than by position.
  const values = new Map<string, string>();
  for (const row of raw as Record<string, unknown>[]) values.set(String(row[`${a}_id`]), String(row['cursor_value']));

  const nodes = entities.slice(0, first);
  const last = nodes[nodes.length - 1];
  const lastValue = last ? values.get(String(last.id)) : undefined;
  return {
    nodes,
    hasNextPage: entities.length > first,
    endCursor: last && lastValue !== undefined ? encodeCursor({ sort: sortName, value: lastValue, id: String(last.id) }) : null,
    totalCount,
  };
}

/** Maps a page of entities to the GraphQL connection shape. */
export function toConnection<E, T>(page: Page<E>, map: (e: E) => T): ConnectionShape<T> {
  return {
    nodes: page.nodes.map(map),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    totalCount: page.totalCount,
  };
}
