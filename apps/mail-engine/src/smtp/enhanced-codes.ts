import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

const ENHANCED_PREFIX = /^[245]\.\d{1,3}\.\d{1,3} /;
let installed = false;

/**
 * smtp-server derives the enhanced status code from the reply code alone (554 -> 5.6.0), so a
 * relay refusal could not say 5.7.1. When a reply text already starts with an enhanced code (our
 * SmtpError does), pass context `false`, which tells the library to add none. This wraps one
 * method instead of forking the library; everything else it sends is unchanged.
 */
export function installEnhancedCodeOverride(): void {
  if (installed) return;
  installed = true;
  const proto = SMTPConnection.prototype as unknown as { send(code: number, data: unknown, context?: unknown): unknown };
  const original = proto.send;
  proto.send = function send(this: unknown, code: number, data: unknown, context?: unknown) {
    if (typeof data === 'string' && ENHANCED_PREFIX.test(data)) return original.call(this, code, data, false);
    return original.call(this, code, data, context);
  };
}
