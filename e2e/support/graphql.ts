export interface GraphQLResult<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** A GraphQL call over real HTTP, as automation would make it. */
export async function gql<T = Record<string, unknown>>(apiPort: number, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResult<T>> {
  const res = await fetch(`http://127.0.0.1:${apiPort}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GraphQLResult<T>;
}

/** Like gql, but throws on GraphQL errors and returns the data. */
export async function gqlOk<T = Record<string, unknown>>(apiPort: number, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const r = await gql<T>(apiPort, query, variables, token);
  if (r.errors?.length || !r.data) throw new Error(`GraphQL error: ${JSON.stringify(r.errors)}`);
  return r.data;
}
