import 'server-only';
import { HttpLink } from '@apollo/client';
import { ApolloClient, InMemoryCache, registerApolloClient } from '@apollo/client-integration-nextjs';
import { API_TIMEOUT_MS, apiGraphqlUrl } from './config';
import { readApiToken } from './session';

/**
 * Apollo Client for React Server Components: one instance per request, talking straight to the
 * API with the token from the request's session cookie (renewed by src/proxy.ts when it was near
 * its end), or the impersonation token while the provider acts as a tenant admin. `PreloadQuery` runs a query here and streams its result into the browser's cache, where
 * client components read and refetch it; `query` is for data only the server renders.
 */
export const { getClient, query, PreloadQuery } = registerApolloClient(async () => {
  const token = await readApiToken();
  return new ApolloClient({
    cache: new InMemoryCache(),
    link: new HttpLink({
      uri: apiGraphqlUrl(),
      headers: token ? { authorization: `Bearer ${token}` } : {},
      fetchOptions: { cache: 'no-store', signal: AbortSignal.timeout(API_TIMEOUT_MS) },
    }),
    defaultOptions: { query: { fetchPolicy: 'no-cache' } },
  });
});
