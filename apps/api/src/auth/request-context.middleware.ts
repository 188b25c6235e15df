import { performance } from 'node:perf_hooks';
import { newId, type Logger } from '@darwin/logger';
import { parseCookies, serializeCookie } from '../common/cookies.js';
import { sendJsonError, type HttpRequest, type HttpResponse, type Next } from '../common/http-types.js';
import type { Actor } from './actor.js';
import { runInRequestContext, type RequestContext } from './request-context.js';

export interface RequestContextDeps {
  readonly logger: Logger;
  /** Undefined when the credential (access token or API key) is not valid. */
  readonly resolveActor: (credential: string, ip: string | null) => Promise<Actor | undefined>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function bearerToken(header: string | undefined): string | undefined | null {
  if (header === undefined || header === '') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null; // null: credentials present but not a bearer token
}

/** Client IP without the IPv4-mapped IPv6 prefix, so `inet` columns and throttles see one form. */
export function clientIp(req: HttpRequest): string | null {
  const ip = req.ip ?? req.socket.remoteAddress ?? null;
  return ip ? ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1') : null;
}

/**
 * Opens the async-local request context for every HTTP request: request id (a sane incoming
 * X-Request-Id is kept, so a proxy's id can be followed), client IP, a logger bound to the request
 * id, cookies, and the actor resolved from `Authorization: Bearer <token or API key>`. Logs one
 * line per request, without query text, variables or headers (they may hold passwords and tokens).
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

    const ip = clientIp(req);
    const token = bearerToken(req.headers.authorization);
    const actorPromise = typeof token === 'string' ? deps.resolveActor(token, ip) : Promise.resolve(undefined);
    const secure = (req as { protocol?: string }).protocol === 'https';
    const host = req.headers.host;
    actorPromise.then(
      (actor) => {
        const ctx: RequestContext = {
          requestId,
          ip,
          logger,
          actor,
          credentialsRejected: token !== undefined && actor === undefined,
          cookies: parseCookies(req.headers.cookie),
          origin: typeof req.headers.origin === 'string' ? req.headers.origin : null,
          selfOrigin: host ? `${secure ? 'https' : 'http'}://${host}` : null,
          secure,
          setCookie: (name, value, opts) => {
            if (res.headersSent) return;
            const prev = res.getHeader('Set-Cookie');
            const list = Array.isArray(prev) ? prev : typeof prev === 'string' ? [prev] : [];
            res.setHeader('Set-Cookie', [...list, serializeCookie(name, value, { ...opts, secure })]);
          },
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
