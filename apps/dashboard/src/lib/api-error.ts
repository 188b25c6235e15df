import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

/** Error codes the API puts in extensions.code. */
export type ApiErrorCode =
  | 'UNAUTHENTICATED'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'VALIDATION'
  | 'CONFLICT'
  | 'LIMIT_EXCEEDED'
  | 'NETWORK'
  | 'INTERNAL';

export interface ApiError {
  readonly code: ApiErrorCode | (string & {});
  readonly message: string;
  /** The input field the API blamed (extensions.field), e.g. "localPart", when it named one. */
  readonly field?: string;
}

/** An API error from a call made without Apollo (e.g. /api/session/password), for toApiError. */
export class ApiRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

interface FormattedError {
  message?: unknown;
  extensions?: { code?: unknown; field?: unknown } | null;
}

/**
 * The first error's code and message, from whatever Apollo Client (or fetch) threw: GraphQL
 * errors, a non-2xx response carrying a GraphQL error body, or a network failure.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiRequestError) {
    return error.field ? { code: error.code, message: error.message, field: error.field } : { code: error.code, message: error.message };
  }
  if (CombinedGraphQLErrors.is(error)) {
    return fromFormatted(error.errors[0]) ?? { code: 'INTERNAL', message: error.message };
  }
  if (ServerError.is(error)) {
    try {
      const body = JSON.parse(error.bodyText) as { errors?: FormattedError[] };
      const parsed = fromFormatted(body.errors?.[0]);
      if (parsed) return parsed;
    } catch {
      // Not a GraphQL body: fall through to the status code.
    }
    if (error.statusCode === 401) return { code: 'UNAUTHENTICATED', message: 'Your session has ended.' };
    if (error.statusCode === 403) return { code: 'FORBIDDEN', message: 'Not allowed.' };
    return { code: 'INTERNAL', message: `The API answered with status ${error.statusCode}.` };
  }
  if (error instanceof TypeError) {
    return { code: 'NETWORK', message: 'The API could not be reached. Try again in a moment.' };
  }
  if (error instanceof Error) return { code: 'INTERNAL', message: error.message };
  return { code: 'INTERNAL', message: 'Something went wrong.' };
}

/** True when the error is one of the given API codes. */
export function hasApiErrorCode(error: unknown, ...codes: ApiErrorCode[]): boolean {
  return codes.includes(toApiError(error).code as ApiErrorCode);
}

function fromFormatted(error: FormattedError | undefined): ApiError | undefined {
  if (!error) return undefined;
  const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL';
  const message = typeof error.message === 'string' && error.message ? error.message : 'Something went wrong.';
  const field = typeof error.extensions?.field === 'string' ? error.extensions.field : undefined;
  return field === undefined ? { code, message } : { code, message, field };
}
