import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The few Express request/response members the middleware here uses (the app does not depend on
 * @types/express for them).
 */
export interface HttpRequest extends IncomingMessage {
  readonly ip?: string;
  readonly originalUrl?: string;
}

export interface HttpResponse extends ServerResponse {
  status(code: number): HttpResponse;
  json(body: unknown): HttpResponse;
}

export type Next = (err?: unknown) => void;

/** A JSON error body shaped like a GraphQL response, so clients parse one format. */
export function sendJsonError(res: HttpResponse, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  res.status(status).json({ errors: [{ message, extensions: { code, ...extra } }] });
}
