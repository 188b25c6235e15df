import { Catch, HttpException, Inject, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { DomainError } from '@darwin/core';
import type { Logger } from '@darwin/logger';
import { optionalRequestContext } from '../auth/request-context.js';
import { DOMAIN_CODES, publicDetails } from './error-format.js';
import { sendJsonError, type HttpResponse } from './http-types.js';
import { LOGGER } from './tokens.js';

/** HTTP status of each error code on REST routes. */
export const HTTP_STATUS: Record<string, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LIMIT_EXCEEDED: 422,
  INTERNAL: 500,
};

/**
 * The one place HTTP (REST, autoconfig) errors are turned into answers; GraphQL errors pass through
 * untouched to error-format.ts. A DomainError becomes its status and `{ errors: [{ message,
 * extensions: { code, ...details } }] }` (the GraphQL error shape, so clients parse one format); an
 * unknown route is NOT_FOUND in the same shape; anything unexpected is INTERNAL with a generic
 * message, logged with the request id. Nest's own HTTP exceptions keep their default handling.
 */
@Catch()
export class ApiExceptionFilter extends BaseExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {
    super();
  }

  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') return exception;
    const res = host.switchToHttp().getResponse<HttpResponse>();
    if (exception instanceof DomainError) {
      const code = DOMAIN_CODES[exception.code];
      return sendJsonError(res, HTTP_STATUS[code] ?? 500, code, exception.message, publicDetails(exception.details));
    }
    if (exception instanceof HttpException) {
      if (exception.getStatus() === 404) return sendJsonError(res, 404, 'NOT_FOUND', 'No such resource');
      return super.catch(exception, host);
    }
    const ctx = optionalRequestContext();
    (ctx?.logger ?? this.logger).error('unexpected error in HTTP request', { err: exception });
    return sendJsonError(res, 500, 'INTERNAL', 'Internal server error', ctx ? { requestId: ctx.requestId } : {});
  }
}
