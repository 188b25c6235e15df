/**
 * Hand-written result types for the API's GraphQL schema (apps/api/schema.graphql). A later issue
 * generates these from the committed schema; until then keep them in step with it by hand.
 */

export type ActorKind = 'operator' | 'mailbox';
export type Role = 'platform_admin' | 'tenant_admin' | 'mailbox_owner';

export interface Actor {
  __typename?: 'Actor';
  kind: ActorKind;
  role: Role;
  id: string;
  email: string;
  tenantId: string | null;
}

export interface PageInfo {
  __typename?: 'PageInfo';
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<TNode> {
  nodes: TNode[];
  pageInfo: PageInfo;
  totalCount: number;
}

export interface Tenant {
  __typename?: 'Tenant';
  id: string;
  name: string;
  status: string;
}

export interface Domain {
  __typename?: 'Domain';
  id: string;
  name: string;
  tenantId: string;
  status: string;
}

export interface Mailbox {
  __typename?: 'Mailbox';
  id: string;
  address: string;
  localPart: string;
  domainId: string;
  tenantId: string;
  quotaBytes: number | null;
  usedBytes: number | null;
  usedMessages: number | null;
}

/** How many rows a list page asks for. Cursor paging (`after`) comes with a later issue. */
export const PAGE_SIZE = 100;
