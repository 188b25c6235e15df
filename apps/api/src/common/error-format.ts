import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError } from '@darwin/core';
import type { Logger } from '@darwin/logger';
import type { GraphQLFormattedError } from 'graphql';
import { optionalRequestContext } from '../auth/request-context.js';

/** Codes a client can see. Anything else thrown is reported as INTERNAL. */
export type ApiErrorCode = 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'LIMIT_EXCEEDED' | 'VALIDATION' | 'CONFLICT' | 'INTERNAL';

export const DOMAIN_CODES: Record<DomainError['code'], ApiErrorCode> = {
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  VALIDATION: 'VALIDATION',
  CONFLICT: 'CONFLICT',
  // Not raised by the control plane; listed so a new code cannot slip through unmapped.
  OVER_QUOTA: 'LIMIT_EXCEEDED',
  TEMPORARY: 'INTERNAL',
};

/** Detail values safe to show: numbers, booleans and short strings (field names, limit names). */
function publicDetails(details: DomainError['details']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details ?? {})) {
    if (typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v.length <= 200)) out[k] = v;
  }
  return out;
}

/**
 * The one place where errors become GraphQL errors (Apollo's formatError):
 * - DomainError -> its message and `extensions.code`, with its details (limits, field names);
 * - GraphQL's own request errors (syntax, validation, variable types) keep their message and code;
 * - anything else is INTERNAL with a generic message, and is logged with the request id. SQL, stack
 *   traces and driver messages never reach the client.
 */
export { publicDetails };

export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const where = { ...(formatted.path ? { path: formatted.path } : {}), ...(formatted.locations ? { locations: formatted.locations } : {}) };

    if (original instanceof DomainError) {
      return { message: original.message, ...where, extensions: { ...publicDetails(original.details), code: DOMAIN_CODES[original.code] } };
    }

    // Apollo has already coded GraphQL's own request errors (GRAPHQL_PARSE_FAILED,
    // GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT, ...); whatever a resolver threw without a code got
    // INTERNAL_SERVER_ERROR. (Not `instanceof GraphQLError`: graphql ships CJS and ESM builds, and
    // Apollo and this file may hold different copies of the class.)
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') {
      const { code: _code, http: _http, stacktrace: _stack, ...rest } = formatted.extensions ?? {};
      return { message: formatted.message, ...where, extensions: { ...publicDetails(rest), code } };
    }

    const ctx = optionalRequestContext();
    (ctx?.logger ?? logger).error('unexpected error in GraphQL request', { err: original, path: formatted.path?.join('.') });
    return {
      message: 'Internal server error',
      ...where,
      extensions: { code: 'INTERNAL', ...(ctx ? { requestId: ctx.requestId } : {}) },
    };
  };
}
