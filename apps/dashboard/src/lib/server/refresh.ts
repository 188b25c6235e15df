import { RefreshDocument } from '@/graphql/generated';
import { callApi, clientAddress } from './api-call';
import type { ApiSession } from './session';

export { needsRefresh } from '../token-expiry';

/**
 * Exchanges the refresh token for a new session, once per refresh token however many requests ask
 * at the same moment.
 *
 * The API rotates refresh tokens and treats a second use of one as theft (the whole session is
 * revoked). A page load sends several requests at once (the document, RSC fetches, /api/graphql
 * calls), each carrying the same cookie, so the exchanges are single-flight and each answer is kept
 * for a minute under the old token: a request that still carries it gets the same new session
 * instead of reusing the token. The map lives on globalThis because the proxy and the route
 * handlers are separate bundles in one server process. Several dashboard processes behind one
 * balancer need sticky sessions (or a grace period for a just-rotated token in the API).
 */
const KEEP_ANSWER_MS = 60_000;

type Outcome = { readonly session: ApiSession } | { readonly refused: true } | { readonly unavailable: true };

interface Flight {
  readonly promise: Promise<Outcome>;
  settledAt?: number;
}

const FLIGHTS_KEY = Symbol.for('darwin.dashboard.refreshFlights');
const flights: Map<string, Flight> = ((globalThis as Record<symbol, unknown>)[FLIGHTS_KEY] as Map<string, Flight> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[FLIGHTS_KEY] = new Map<string, Flight>());

export function refreshSession(refreshToken: string, headers: Headers): Promise<Outcome> {
  const now = Date.now();
  for (const [key, flight] of flights) {
    if (flight.settledAt !== undefined && now - flight.settledAt > KEEP_ANSWER_MS) flights.delete(key);
  }
  const existing = flights.get(refreshToken);
  if (existing) return existing.promise;
  const flight: Flight = {
    promise: callApi(RefreshDocument, { refreshToken }, { forwardedFor: clientAddress(headers) }).then((result): Outcome => {
      if (result.ok) return { session: result.data.refresh };
      if (result.network) return { unavailable: true };
      return { refused: true };
    }),
  };
  flights.set(refreshToken, flight);
  void flight.promise.then((outcome) => {
    flight.settledAt = Date.now();
    // A network failure is not remembered: the next request may try again.
    if ('unavailable' in outcome) flights.delete(refreshToken);
  });
  return flight.promise;
}
