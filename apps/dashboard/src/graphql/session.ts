import { gql, type TypedDocumentNode } from '@apollo/client';
import type { Actor } from './types';

export interface LoginData {
  /** expiresAt is an ISO 8601 DateTime. */
  login: { token: string; expiresAt: string; actor: Actor };
}
export interface LoginVariables {
  email: string;
  password: string;
}

/** Sent by the session route handler on the server only; the browser never sees the token. */
export const LOGIN: TypedDocumentNode<LoginData, LoginVariables> = gql`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      token
      expiresAt
      actor {
        kind
        role
        id
        email
        tenantId
      }
    }
  }
`;

export interface MeData {
  me: Actor;
}

export const ME: TypedDocumentNode<MeData, Record<string, never>> = gql`
  query Me {
    me {
      kind
      role
      id
      email
      tenantId
    }
  }
`;
