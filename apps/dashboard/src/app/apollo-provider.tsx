'use client';

import { ApolloLink, HttpLink } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { ErrorLink } from '@apollo/client/link/error';
import { ApolloClient, ApolloNextAppProvider, InMemoryCache } from '@apollo/client-integration-nextjs';
import { throwError } from 'rxjs';
import type { ReactNode } from 'react';

/**
 * Apollo Client for client components. In the browser it posts to this dashboard's own
 * /api/graphql, which adds the token from the httpOnly cookie; the token never reaches scripts.
 *
 * During server-side rendering of client components there is no cookie to forward, so this client
 * makes no requests of its own: data reaches it from `PreloadQuery` in server components (see
 * src/lib/server/apollo.ts). A query that was not preloaded fails in SSR and runs in the browser.
 */
function makeClient() {
  if (typeof window === 'undefined') {
    return new ApolloClient({
      cache: new InMemoryCache(),
      link: new ApolloLink(() =>
        throwError(() => new Error('Client components do not query during SSR: use PreloadQuery.')),
      ),
    });
  }
  const toLoginOnExpiredSession = new ErrorLink(({ error }) => {
    if (
      CombinedGraphQLErrors.is(error) &&
      error.errors.some((e) => e.extensions?.['code'] === 'UNAUTHENTICATED')
    ) {
      // app/api/graphql already tried the refresh token: the session is over.
      window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
    }
  });
  return new ApolloClient({
    cache: new InMemoryCache(),
    link: ApolloLink.from([
      toLoginOnExpiredSession,
      new HttpLink({ uri: '/api/graphql', credentials: 'same-origin' }),
    ]),
  });
}

export function ApolloProvider({ children }: { children: ReactNode }) {
  return <ApolloNextAppProvider makeClient={makeClient}>{children}</ApolloNextAppProvider>;
}
