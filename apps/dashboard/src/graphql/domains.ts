import { gql, type TypedDocumentNode } from '@apollo/client';
import type { Connection, Domain } from './types';

export interface DomainsData {
  domains: Connection<Domain>;
}
export interface DomainsVariables {
  tenantId?: string | null;
  first?: number;
  after?: string | null;
}

export const DOMAINS: TypedDocumentNode<DomainsData, DomainsVariables> = gql`
  query Domains($tenantId: ID, $first: Int, $after: String) {
    domains(tenantId: $tenantId, first: $first, after: $after) {
      nodes {
        id
        name
        tenantId
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

export interface DomainData {
  /** The API answers NOT_FOUND rather than null. */
  domain: Domain;
}
export interface DomainVariables {
  id: string;
}

export const DOMAIN: TypedDocumentNode<DomainData, DomainVariables> = gql`
  query Domain($id: ID!) {
    domain(id: $id) {
      id
      name
      tenantId
      status
    }
  }
`;

export interface CreateDomainData {
  createDomain: Domain;
}
export interface CreateDomainVariables {
  input: { tenantId: string; name: string };
}

export const CREATE_DOMAIN: TypedDocumentNode<CreateDomainData, CreateDomainVariables> = gql`
  mutation CreateDomain($input: CreateDomainInput!) {
    createDomain(input: $input) {
      id
      name
      tenantId
      status
    }
  }
`;
