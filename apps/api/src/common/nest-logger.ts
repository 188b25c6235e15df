import type { LoggerService } from '@nestjs/common';
import type { Logger } from '@darwin/logger';

/**
 * Routes Nest's own messages into our structured logger. Nest's start-up chatter (routes mapped,
 * modules loaded) goes to debug; warnings and errors stay what they are.
 */
export class NestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.logger.debug(text(message), fields(rest));
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.logger.debug(text(message), fields(rest));
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.logger.debug(text(message), fields(rest));
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.logger.warn(text(message), fields(rest));
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.logger.error(text(message), { ...fields(rest), ...(message instanceof Error ? { err: message } : {}) });
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.error(message, ...rest);
  }
}

function text(message: unknown): string {
  if (message instanceof Error) return message.message;
  return typeof message === 'string' ? message : JSON.stringify(message);
}

/** Nest passes an optional stack and then the context (class name) as trailing strings. */
function fields(rest: unknown[]): Record<string, unknown> {
  const strings = rest.filter((r): r is string => typeof r === 'string');
  const context = strings.length > 0 ? strings[strings.length - 1] : undefined;
  const stack = strings.length > 1 ? strings[0] : undefined;
  return { ...(context ? { context } : {}), ...(stack ? { stack } : {}) };
}
