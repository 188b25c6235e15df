import type { ResponseCode } from './protocol/compiler.js';

/**
 * A command's failure as the client will see it: `tag NO [CODE] text` or `tag BAD [CODE] text`.
 * Handlers throw these; the dispatcher writes them. Any other error is a server fault.
 */
export class ImapError extends Error {
  constructor(
    readonly status: 'NO' | 'BAD',
    message: string,
    readonly code?: ResponseCode,
  ) {
    super(message);
    this.name = 'ImapError';
  }
}

export const no = (text: string, code?: string, args?: string) => new ImapError('NO', text, code ? { name: code, args } : undefined);
export const bad = (text: string, code?: string, args?: string) => new ImapError('BAD', text, code ? { name: code, args } : undefined);

/** The connection is gone (or must go): nothing more can be written. */
export class ConnectionClosedError extends Error {
  constructor(message = 'Connection closed') {
    super(message);
    this.name = 'ConnectionClosedError';
  }
}

/** A response was cut in the middle (e.g. a body stream failed after its literal size was sent). */
export class BrokenResponseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BrokenResponseError';
  }
}
