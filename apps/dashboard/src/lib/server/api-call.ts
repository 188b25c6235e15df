import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import { API_TIMEOUT_MS, apiGraphqlUrl } from './config';

export interface ApiCallError {
  message: string;
  extensions?: { code?: unknown; field?: unknown; reason?: unknown; [key: string]: unknown };
}

export type ApiCallResult<TData> =
  | { readonly ok: true; readonly data: TData }
  | { readonly ok: false; readonly network: boolean; readonly errors: readonly ApiCallError[]; readonly code: string };

const printed = new WeakMap<DocumentNode, string>();

/**
 * One GraphQL call from the dashboard's server (route handlers and the proxy), outside Apollo:
 * the session routes need the raw answer to set cookies. `forwardedFor` passes the browser's
 * address on, so the API's per-IP login throttle counts people, not this server (the API reads it
 * only when DARWIN_API_TRUST_PROXY names us).
 */
export async function callApi<TData, TVariables>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  options: { token?: string | undefined; forwardedFor?: string | undefined } = {},
): Promise<ApiCallResult<TData>> {
  let query = printed.get(document);
  if (query === undefined) {
    query = print(document);
    printed.set(document, query);
  }
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
  };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (options.forwardedFor) headers['x-forwarded-for'] = options.forwardedFor;
  let body: { data?: TData | null; errors?: ApiCallError[] };
  try {
    const response = await fetch(apiGraphqlUrl(), {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
      cache: 'no-store',
      redirect: 'manual',
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
    body = (await response.json()) as typeof body;
  } catch {
    return { ok: false, network: true, errors: [{ message: 'The API could not be reached.' }], code: 'NETWORK' };
  }
  if (body.errors?.length || !body.data) {
    const errors = body.errors ?? [{ message: 'Empty answer from the API.' }];
    const code = typeof errors[0]?.extensions?.code === 'string' ? errors[0].extensions.code : 'INTERNAL';
    return { ok: false, network: false, errors, code };
  }
  return { ok: true, data: body.data };
}

/** The browser's address as our server saw it (Next sets X-Forwarded-For for `next start`). */
export function clientAddress(headers: Headers): string | undefined {
  const forwarded = headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded ? forwarded.slice(0, 64) : undefined;
}
