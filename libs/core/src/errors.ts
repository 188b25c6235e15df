/**
 * Domain errors with a stable code. Each edge maps the code once: GraphQL extensions.code,
 * HTTP status, SMTP reply, IMAP response. The domain never imports those edges' types.
 */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'LIMIT_EXCEEDED'
  | 'VALIDATION'
  | 'CONFLICT'
  | 'OVER_QUOTA'
  | 'TEMPORARY';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`);
export const validation = (message: string, details?: Record<string, unknown>) => new DomainError('VALIDATION', message, details);
export const conflict = (message: string, details?: Record<string, unknown>) => new DomainError('CONFLICT', message, details);
export const forbidden = (message = 'Not allowed') => new DomainError('FORBIDDEN', message);
