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

export type TenantStatus = 'active' | 'suspended';
export type DomainStatus = 'active' | 'suspended';

export interface Tenant {
  __typename?: 'Tenant';
  id: string;
  name: string;
  status: TenantStatus;
}

export interface Domain {
  __typename?: 'Domain';
  id: string;
  name: string;
  tenantId: string;
  status: DomainStatus;
}

export interface Mailbox {
  __typename?: 'Mailbox';
  id: string;
  address: string;
  localPart: string;
  domainId: string;
  tenantId: string;
  quotaBytes: number;
  usedBytes: number;
  usedMessages: number;
}

/** Rows a list page asks for (the API allows 1-200). Cursor paging (`after`) comes with a later issue. */
export const PAGE_SIZE = 100;
