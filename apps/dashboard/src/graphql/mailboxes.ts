import { gql, type TypedDocumentNode } from '@apollo/client';
import type { Connection, Mailbox } from './types';

export interface MailboxesData {
  mailboxes: Connection<Mailbox>;
}
export interface MailboxesVariables {
  domainId?: string | null;
  tenantId?: string | null;
  first?: number;
  after?: string | null;
}

export const MAILBOXES: TypedDocumentNode<MailboxesData, MailboxesVariables> = gql`
  query Mailboxes($domainId: ID, $tenantId: ID, $first: Int, $after: String) {
    mailboxes(domainId: $domainId, tenantId: $tenantId, first: $first, after: $after) {
      nodes {
        id
        address
        localPart
        domainId
        tenantId
        quotaBytes
        usedBytes
        usedMessages
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      totalCount
    }
  }
`;

export interface CreateMailboxData {
  createMailbox: { id: string; address: string; quotaBytes: number };
}
export interface CreateMailboxVariables {
  input: {
    domainId: string;
    localPart: string;
    password: string;
    quotaBytes?: number | null;
    displayName?: string | null;
  };
}

export const CREATE_MAILBOX: TypedDocumentNode<CreateMailboxData, CreateMailboxVariables> = gql`
  mutation CreateMailbox($input: CreateMailboxInput!) {
    createMailbox(input: $input) {
      id
      address
      quotaBytes
    }
  }
`;
