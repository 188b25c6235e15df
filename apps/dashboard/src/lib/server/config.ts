import 'server-only';

const DEFAULT_API_URL = 'http://127.0.0.1:4000';

/**
 * Base URL of the Darwin API, read from DARWIN_API_URL on every call so that one build can be
 * started against any API. A bad value fails loudly with the variable's name.
 */
export function apiUrl(): string {
  const raw = process.env['DARWIN_API_URL']?.trim() || DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`DARWIN_API_URL is not a valid URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`DARWIN_API_URL must be an http(s) URL, got ${JSON.stringify(raw)}`);
  }
  return url.toString().replace(/\/+$/, '');
}

/** The API's GraphQL endpoint. */
export function apiGraphqlUrl(): string {
  return `${apiUrl()}/graphql`;
}

/** How long the dashboard waits for the API before giving up on one request. */
export const API_TIMEOUT_MS = 15_000;

/** The API's graphql-ws endpoint (same path, ws:// or wss://). */
export function apiWebSocketUrl(): string {
  return apiGraphqlUrl().replace(/^http/, 'ws');
}

/** The API's base URL for REST calls made by our route handlers (e.g. the Apple profile). */
export function apiRestUrl(path: string): string {
  return `${apiUrl()}${path}`;
}
