import { performance } from 'node:perf_hooks';
import { newId, type Logger } from '@darwin/logger';
import { sendJsonError, type HttpRequest, type HttpResponse, type Next } from '../common/http-types.js';
import type { Actor } from './actor.js';
import { runInRequestContext } from './request-context.js';

export interface RequestContextDeps {
  readonly logger: Logger;
  /** Undefined when the token is not valid (or its account is gone or suspended). */
  readonly resolveActor: (token: string) => Promise<Actor | undefined>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

function bearerToken(header: string | undefined): string | undefined | null {
  if (header === undefined || header === '') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null; // null: credentials present but not a bearer token
}

/**
 * Opens the async-local request context for every HTTP request: request id (a sane incoming
 * X-Request-Id is kept, so a proxy's id can be followed), client IP, a logger bound to the request
 * id, and the actor resolved from `Authorization: Bearer <token>`. Logs one line per request,
 * without query text, variables or headers (they may hold passwords and tokens).
 */
export function requestContextMiddleware(deps: RequestContextDeps) {
  return (req: HttpRequest, res: HttpResponse, next: Next): void => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : newId('r');
    res.setHeader('X-Request-Id', requestId);
    const logger = deps.logger.child({ rid: requestId });
    const started = performance.now();
    const path = (req.originalUrl ?? req.url ?? '').split('?')[0];
    res.on('finish', () => {
      const level = path === '/health' ? 'debug' : 'info';
      logger.log(level, 'request', { method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started) });
    });

    const token = bearerToken(req.headers.authorization);
    const actorPromise = typeof token === 'string' ? deps.resolveActor(token) : Promise.resolve(undefined);
    actorPromise.then(
      (actor) => {
        const ctx = {
          requestId,
          ip: req.ip ?? req.socket.remoteAddress ?? null,
          logger,
          actor,
          credentialsRejected: token !== undefined && actor === undefined,
        };
        runInRequestContext(ctx, () => next());
      },
      (err: unknown) => {
        logger.error('could not resolve the caller', { err });
        sendJsonError(res, 503, 'UNAVAILABLE', 'Service temporarily unavailable', { requestId });
      },
    );
  };
}
