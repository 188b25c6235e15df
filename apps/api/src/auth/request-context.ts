import { AsyncLocalStorage } from 'node:async_hooks';
import { DomainError } from '@darwin/core';
import type { Logger } from '@darwin/logger';
import type { CookieOptions } from '../common/cookies.js';
import type { Actor } from './actor.js';

/**
 * Everything known about the request being served (HTTP, or one WebSocket subscription), carried
 * through async calls without being passed by hand. Set once per request by
 * request-context.middleware.ts (or subscriptions/subscription-server.ts); never mutated.
 */
export interface RequestContext {
  readonly requestId: string;
  readonly ip: string | null;
  /** Logger whose lines carry the request id. */
  readonly logger: Logger;
  /** Undefined when no valid credentials came with the request. */
  readonly actor: Actor | undefined;
  /** True when credentials were sent but refused (bad signature, expired, account gone). */
  readonly credentialsRejected: boolean;
  /** Cookies sent with the request (the dashboard's refresh cookie). */
  readonly cookies: Readonly<Record<string, string>>;
  /** The Origin header, when the browser sent one. */
  readonly origin: string | null;
  /** scheme://host the request was addressed to, to compare with Origin. */
  readonly selfOrigin: string | null;
  /** True when the request came over TLS (cookies then get `Secure`). */
  readonly secure: boolean;
  /** Adds a Set-Cookie header to the response; a no-op where there is no HTTP response (WebSocket). */
  readonly setCookie: (name: string, value: string, opts: Omit<CookieOptions, 'secure'>) => void;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runInRequestContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** The current request's context. Throws when called outside a request: that is a programming error. */
export function requestContext(): RequestContext {
  const ctx = storage.getStore();
  if (!ctx) throw new Error('No request context: this code must run inside an API request');
  return ctx;
}

/** For code that also runs outside requests (error formatting, logging). */
export function optionalRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The authenticated actor of the current request; UNAUTHENTICATED when there is none. */
export function currentActor(): Actor {
  const ctx = requestContext();
  if (ctx.actor) return ctx.actor;
  throw new DomainError(
    'UNAUTHENTICATED',
    ctx.credentialsRejected ? 'Invalid or expired credentials' : 'Authentication required',
  );
}
