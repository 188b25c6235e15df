import { gql, type TypedDocumentNode } from '@apollo/client';
import type { Connection, Tenant } from './types';

export interface TenantsData {
  tenants: Connection<Tenant>;
}
export interface TenantsVariables {
  first?: number;
  after?: string | null;
}

export const TENANTS: TypedDocumentNode<TenantsData, TenantsVariables> = gql`
  query Tenants($first: Int, $after: String) {
    tenants(first: $first, after: $after) {
      nodes {
        id
        name
        status
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      totalCount
    }
  }
`;

export interface TenantData {
  /** The API answers NOT_FOUND rather than null. */
  tenant: Tenant;
}
export interface TenantVariables {
  id: string;
}

export const TENANT: TypedDocumentNode<TenantData, TenantVariables> = gql`
  query Tenant($id: ID!) {
    tenant(id: $id) {
      id
      name
      status
    }
  }
`;

export interface CreateTenantData {
  createTenant: Tenant;
}
export interface CreateTenantVariables {
  input: { name: string; planId?: string | null };
}

export const CREATE_TENANT: TypedDocumentNode<CreateTenantData, CreateTenantVariables> = gql`
  mutation CreateTenant($input: CreateTenantInput!) {
    createTenant(input: $input) {
      id
      name
      status
    }
  }
`;
