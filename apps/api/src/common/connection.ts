import { validation } from '@darwin/core';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import type { Type } from '@nestjs/common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { decodeCursor, encodeCursor } from './cursor.js';

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

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size, ${DEFAULT_PAGE_SIZE} when omitted, at most ${MAX_PAGE_SIZE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}

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
 * Keyset pagination over (created_at, id), ascending, for any entity with those columns. The query
 * builder arrives with its filters (tenant scope included) and may join many-to-one relations;
 * totalCount counts the same filtered set, without the cursor.
 */
export async function paginate<E extends ObjectLiteral & { id: string }>(qb: SelectQueryBuilder<E>, args: PageArgs): Promise<Page<E>> {
  const first = pageSize(args.first);
  const after = args.after ? decodeCursor(args.after) : undefined;
  const a = qb.alias;

  const totalCount = await qb.clone().getCount();

  const pageQuery = qb
    .clone()
    .addSelect(`CAST(EXTRACT(EPOCH FROM ${a}.createdAt) * 1000000 AS bigint)`, 'cursor_micros')
    .orderBy(`${a}.createdAt`, 'ASC')
    .addOrderBy(`${a}.id`, 'ASC')
    .limit(first + 1);
  if (after) {
    pageQuery.andWhere(
      `(${a}.createdAt, ${a}.id) > (TIMESTAMPTZ 'epoch' + CAST(:afterMicros AS bigint) * INTERVAL '1 microsecond', CAST(:afterId AS uuid))`,
      { afterMicros: after.createdAtMicros, afterId: after.id },
    );
  }
  const { entities, raw } = await pageQuery.getRawAndEntities();
  // Raw rows carry the exact sort key; match them to entities by id rather than by position.
  const micros = new Map<string, string>();
  for (const row of raw as Record<string, unknown>[]) micros.set(String(row[`${a}_id`]), String(row['cursor_micros']));

  const nodes = entities.slice(0, first);
  const last = nodes[nodes.length - 1];
  const lastMicros = last ? micros.get(last.id) : undefined;
  return {
    nodes,
    hasNextPage: entities.length > first,
    endCursor: last && lastMicros !== undefined ? encodeCursor({ createdAtMicros: lastMicros, id: last.id }) : null,
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
