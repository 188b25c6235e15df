import { randomBytes } from 'node:crypto';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import type { EngineContext } from '../engine-context.js';
import { acceptMessage } from './data.js';
import { installEnhancedCodeOverride } from './enhanced-codes.js';
import { receivedHeader } from './received-header.js';
import { resolveRecipient, type LocalRecipient } from './recipients.js';
import { REPLIES, SmtpError } from './smtp-error.js';

/** Queue ids as Postfix shows them: short, unique, safe in a header. */
function queueId(): string {
  return randomBytes(6).toString('hex').toUpperCase();
}

/**
 * The MX listener (port 25; 2525 in development): accepts mail for hosted mailboxes from anyone,
 * relays for no one. Each callback answers with a typed SmtpError or success; smtp-server does the
 * protocol (PIPELINING, SIZE, 8BITMIME, SMTPUTF8, ENHANCEDSTATUSCODES, dot-unstuffing).
 */
export function createMxServer(ctx: EngineContext): SMTPServer {
  installEnhancedCodeOverride();
  const resolved = new WeakMap<SMTPServerAddress, LocalRecipient>();
  const log = ctx.logger.child({ proto: 'smtp' });

  const server: SMTPServer = new SMTPServer({
    name: ctx.config.hostname,
    banner: 'Darwin Mail ESMTP',
    size: ctx.config.maxMessageBytes,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    // The library hides these by default; we want the RFC 2034 codes in every reply.
    hideENHANCEDSTATUSCODES: false,
    disableReverseLookup: true,
    logger: false,
    socketTimeout: 5 * 60_000,

    onConnect(session, callback) {
      log.debug('connect', { sid: session.id, ip: session.remoteAddress });
      callback();
    },

    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= ctx.config.smtpMaxRecipients) {
        callback(REPLIES.tooManyRecipients(ctx.config.smtpMaxRecipients));
        return;
      }
      resolveRecipient(address.address, { store: ctx.store, authenticated: false })
        .then((r) => {
          resolved.set(address, r);
          callback();
        })
        .catch((err: unknown) => {
          if (!(err instanceof SmtpError)) log.error('recipient lookup failed', { sid: session.id, err });
          callback(err instanceof SmtpError ? err : REPLIES.tempFailure());
        });
    },

    onData(stream, session, callback) {
      const recipients = session.envelope.rcptTo.map((a) => resolved.get(a)).filter((r): r is LocalRecipient => r !== undefined);
      const id = queueId();
      const received = receivedHeader({
        helo: session.hostNameAppearsAs,
        remoteAddress: session.remoteAddress,
        hostname: ctx.config.hostname,
        protocol: protocolName(session),
        id,
        recipient: recipients.length === 1 ? recipients[0]!.address : undefined,
        date: new Date(),
      });
      const mlog = log.child({ sid: session.id, qid: id });
      acceptMessage(stream, {
        store: ctx.store,
        logger: mlog,
        maxBytes: ctx.config.maxMessageBytes,
        maxReceived: ctx.config.smtpMaxReceivedHeaders,
        received,
        recipients,
      })
        .then((text) => {
          mlog.info('message accepted', { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', rcpts: recipients.length });
          callback(null, `${text} (queued as ${id})`);
        })
        .catch((err: unknown) => {
          // Drain whatever is left so the reply comes after the client's final dot.
          stream.resume();
          callback(err instanceof SmtpError ? err : REPLIES.tempFailure());
        });
    },
  });
  server.on('error', (err) => log.error('smtp server error', { err }));
  return server;
}

function protocolName(session: SMTPServerSession): string {
  const esmtp = session.openingCommand !== 'HELO';
  const base = esmtp ? 'ESMTP' : 'SMTP';
  return `${base}${session.secure ? 'S' : ''}${session.user ? 'A' : ''}`;
}
