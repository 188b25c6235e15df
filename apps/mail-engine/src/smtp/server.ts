import { randomBytes } from 'node:crypto';
import type { RecipientRejection } from '@darwin/core';
import { isWellFormedEnvelopeAddress } from '@darwin/core';
import type { SMTPServerAddress, SMTPServerOptions, SMTPServerSession } from 'smtp-server';
import { plaintextAllowed, type EngineContext } from '../engine-context.js';
import { DarwinSmtpServer, type ConnectionPolicy } from './connection.js';
import { GreetPause } from './greet-pause.js';
import type { SenderAccount } from './directory.js';
import { endOfData, type AcceptedResolution, type RcptEntry, type RemoteResolution } from './end-of-data.js';
import { createSmtpServices, type SmtpServices } from './services.js';
import { REPLIES, SmtpError } from './smtp-error.js';
import { CONTINUE, reject, runStage, verdictError, type Check } from './stages.js';

/** Queue ids as Postfix shows them: short, unique, safe in a header. */
function queueId(): string {
  return randomBytes(6).toString('hex').toUpperCase();
}

const REJECTIONS: Record<RecipientRejection, () => SmtpError> = {
  syntax: REPLIES.badRecipient,
  unknown: REPLIES.noSuchUser,
  disabled: REPLIES.receiveDisabled,
  full: REPLIES.mailboxFullTemp,
  loop: REPLIES.recipientLoop,
};

/** RFC 6531: a non-ASCII local part needs SMTPUTF8 on MAIL FROM (the library turns IDNA domains into Unicode itself). */
function needsUtf8(address: string, session: SMTPServerSession): boolean {
  const at = address.lastIndexOf('@');
  return /[^\x00-\x7f]/.test(at >= 0 ? address.slice(0, at) : address) && !session.envelope.smtpUtf8;
}

const utf8Required = () => new SmtpError(553, '5.6.7', 'Non-ASCII address needs the SMTPUTF8 parameter on MAIL FROM');

/** What one listener decides, per SMTP phase. */
interface Mode {
  readonly name: 'mx' | 'submission';
  readonly mail: Check<MailInput>[];
  readonly rcpt: Check<RcptInput>[];
}

interface MailInput {
  readonly address: SMTPServerAddress;
  readonly session: SMTPServerSession;
  sender?: SenderAccount;
}

interface RcptInput {
  readonly address: SMTPServerAddress;
  readonly session: SMTPServerSession;
  readonly sender?: SenderAccount;
  resolution?: AcceptedResolution | RemoteResolution;
}

/** The authenticated mailbox, as onAuth stored it in the session. */
interface SessionUser {
  readonly id: string;
  readonly address: string;
}

function commonOptions(ctx: EngineContext): SMTPServerOptions {
  return {
    name: ctx.config.hostname,
    banner: 'Darwin Mail ESMTP',
    size: ctx.config.maxMessageBytes,
    // The library hides these by default; we want RFC 2034 codes in every reply and RFC 3461 DSN.
    hideENHANCEDSTATUSCODES: false,
    hideDSN: false,
    disableReverseLookup: true,
    logger: false,
    socketTimeout: ctx.config.smtpTimeout,
    closeTimeout: 2_000,
    maxCommandLength: ctx.config.smtpMaxLineBytes,
    // STARTTLS (and implicit TLS on 465) with the engine's certificate.
    key: ctx.tls.key,
    cert: ctx.tls.cert,
    minVersion: ctx.tls.serverOptions.minVersion,
  };
}

/**
 * Builds one listener: smtp-server (through our connection class) does the protocol, the mode's
 * checks decide MAIL and RCPT, and the end of DATA/BDAT is shared by both modes (end-of-data.ts).
 */
function createServer(ctx: EngineContext, services: SmtpServices, mode: Mode, options: SMTPServerOptions, policy: ConnectionPolicy): DarwinSmtpServer {
  const log = ctx.logger.child({ proto: mode.name === 'mx' ? 'smtp' : 'submission' });
  const stageOpts = { timeoutMs: ctx.config.smtpCheckTimeout, logger: log };
  // Per transaction: what each accepted RCPT resolved to, and the sender (submission).
  const rcpts = new WeakMap<SMTPServerAddress, AcceptedResolution | RemoteResolution>();
  const senders = new WeakMap<SMTPServerAddress, SenderAccount>();

  const server: DarwinSmtpServer = new DarwinSmtpServer(
    {
      ...options,
      onConnect(session, callback) {
        log.debug('connect', { sid: session.id, ip: session.remoteAddress });
        callback();
      },

      onAuth(auth, session, callback) {
        if (auth.method !== 'PLAIN' && auth.method !== 'LOGIN') {
          callback(new SmtpError(504, '5.5.4', 'Unrecognized authentication type'));
          return;
        }
        ctx.auth
          .login(auth.username ?? '', auth.password ?? '', { protocol: 'smtp', ip: session.remoteAddress })
          .then((r) => {
            if (!r.ok) {
              callback(REPLIES.authFailed());
              return;
            }
            const user: SessionUser = { id: r.account.id, address: r.account.address };
            log.info('authenticated', { sid: session.id, user: user.address, ip: session.remoteAddress });
            callback(null, { user });
          })
          .catch((err: unknown) => {
            log.error('authentication failed', { sid: session.id, err });
            callback(new SmtpError(454, '4.7.0', 'Temporary authentication failure'));
          });
      },

      onMailFrom(address, session, callback) {
        const input: MailInput = { address, session };
        runStage('mail', mode.mail, input, stageOpts).then((v) => {
          if (v.action === 'continue' && input.sender) senders.set(address, input.sender);
          callback(verdictError(v));
        }, callback);
      },

      onRcptTo(address, session, callback) {
        const mailFrom = session.envelope.mailFrom;
        const input: RcptInput = { address, session, sender: mailFrom ? senders.get(mailFrom) : undefined };
        runStage('rcpt', mode.rcpt, input, stageOpts).then((v) => {
          if (v.action === 'continue' && input.resolution) rcpts.set(address, input.resolution);
          callback(verdictError(v));
        }, callback);
      },

      onData(stream, session, callback) {
        const mailFrom = session.envelope.mailFrom;
        const recipients: RcptEntry[] = [];
        for (const rcpt of session.envelope.rcptTo) {
          const resolution = rcpts.get(rcpt);
          if (resolution) recipients.push({ rcpt, resolution });
        }
        const id = queueId();
        const mlog = log.child({ sid: session.id, qid: id });
        endOfData(stream, {
          mode: mode.name,
          engine: ctx,
          services,
          logger: mlog,
          session,
          recipients,
          sender: mailFrom ? senders.get(mailFrom) : undefined,
          queueId: id,
        }).then(
          (text) => callback(null, `${text} (queued as ${id})`),
          (err: unknown) => {
            // Drain whatever is left so the reply comes after the client's final dot.
            stream.resume();
            callback(err instanceof SmtpError ? err : REPLIES.tempFailure());
          },
        );
      },
    },
    policy,
  );
  server.on('error', (err: Error & { meta?: unknown; remoteAddress?: string }) => {
    // smtp-server reports a client's broken connection or failed TLS handshake (tagged with the
    // peer's address or TLS meta) through the same event as its own failures; only the latter are errors.
    if (err.remoteAddress !== undefined || err.meta !== undefined) log.info('client connection error', { ip: err.remoteAddress, err: err.message });
    else log.error('smtp server error', { err });
  });
  return server;
}

function policyFor(ctx: EngineContext, auth: boolean): ConnectionPolicy {
  // Only the MX pauses: submission clients authenticate, and Postfix's submission does not wait either.
  const greeting = auth ? new GreetPause(0, 0) : new GreetPause(ctx.config.smtpGreetPause, ctx.config.smtpGreetTtl);
  return {
    greeting,
    authAllowed: (c) => auth && (c.secure || plaintextAllowed(ctx.config, c.remoteAddress)),
    maxErrors: ctx.config.smtpMaxErrors,
    maxLineBytes: ctx.config.smtpMaxLineBytes,
    maxMessageBytes: ctx.config.maxMessageBytes,
  };
}

/** The resolution of a RCPT, or the SmtpError that refuses it. */
async function resolveRcpt(services: SmtpServices, address: string): Promise<AcceptedResolution | RemoteResolution> {
  const r = await services.directory.resolve(address);
  if (r.kind === 'rejected') throw REJECTIONS[r.reason]();
  if (r.kind === 'need') throw REPLIES.tempFailure();
  return r;
}

/**
 * RFC 5321 4.1.1.3: `RCPT TO:<postmaster>` (no domain, any case) must be accepted, and means the
 * postmaster of this server. It goes to `postmaster@<DARWIN_HOSTNAME>` when that is a hosted
 * mailbox or alias, else to the platform admin address (DARWIN_ADMIN_EMAIL) when that one is
 * hosted here, each through the normal recipient resolution (aliases, forwards, quota). When
 * neither is, the reply says so (550 5.1.1); a hosted candidate that refuses mail for now (full,
 * disabled) gives its own reply, so a full postmaster mailbox is a temporary failure.
 */
export function isDomainlessPostmaster(address: string): boolean {
  return address.toLowerCase() === 'postmaster';
}

async function resolvePostmaster(ctx: EngineContext, services: SmtpServices): Promise<AcceptedResolution> {
  let refusal: SmtpError | undefined;
  for (const candidate of [`postmaster@${ctx.config.hostname}`, ctx.config.adminEmail]) {
    const r = await services.directory.resolve(candidate);
    if (r.kind === 'accepted') return r;
    if (r.kind === 'need') throw REPLIES.tempFailure();
    if (r.kind === 'rejected' && r.reason !== 'syntax' && r.reason !== 'unknown') refusal ??= REJECTIONS[r.reason]();
  }
  throw refusal ?? REPLIES.noPostmaster(ctx.config.hostname);
}

/**
 * The MX listener (port 25; 2525 in development): accepts mail for hosted addresses from anyone,
 * relays for no one. STARTTLS is offered; AUTH is not.
 */
export function createMxServer(ctx: EngineContext, services: SmtpServices = createSmtpServices(ctx)): DarwinSmtpServer {
  const mode: Mode = {
    name: 'mx',
    mail: [
      {
        name: 'sender-syntax',
        run: async ({ address, session }) => {
          if (needsUtf8(address.address, session)) return reject(utf8Required());
          return address.address === '' || isWellFormedEnvelopeAddress(address.address) ? CONTINUE : reject(REPLIES.badSender());
        },
      },
    ],
    rcpt: [
      {
        name: 'recipient-limit',
        run: async ({ session }) => (session.envelope.rcptTo.length >= ctx.config.smtpMaxRecipients ? reject(REPLIES.tooManyRecipients(ctx.config.smtpMaxRecipients)) : CONTINUE),
      },
      { name: 'smtputf8', run: async ({ address, session }) => (needsUtf8(address.address, session) ? reject(utf8Required()) : CONTINUE) },
      {
        name: 'resolve',
        run: async (input) => {
          const r = isDomainlessPostmaster(input.address.address) ? await resolvePostmaster(ctx, services) : await resolveRcpt(services, input.address.address);
          if (r.kind === 'remote') return reject(REPLIES.relayDenied());
          // SIZE= on MAIL FROM against the recipients' plans (the server-wide SIZE is checked by the library).
          const declared = Number((input.session.envelope.mailFrom && input.session.envelope.mailFrom.args && input.session.envelope.mailFrom.args.SIZE) || 0);
          if (declared > 0 && r.forwards.length === 0 && r.deliveries.every((d) => d.mailbox.maxMessageBytes < declared)) {
            return reject(REPLIES.tooBigForRecipient(Math.max(...r.deliveries.map((d) => d.mailbox.maxMessageBytes))));
          }
          input.resolution = r;
          return CONTINUE;
        },
      },
    ],
  };
  return createServer(ctx, services, mode, { ...commonOptions(ctx), authOptional: true, disabledCommands: ['AUTH'], hideSTARTTLS: false }, policyFor(ctx, false));
}

/**
 * A submission listener: 587 with STARTTLS, or 465 with implicit TLS (`implicitTls`). AUTH PLAIN
 * and LOGIN are required before MAIL and offered only over TLS (or plaintext where
 * DARWIN_PLAINTEXT_AUTH allows it). The envelope sender must be the authenticated mailbox or one
 * of its aliases; hosted recipients are delivered directly, the others queued.
 */
export function createSubmissionServer(ctx: EngineContext, services: SmtpServices, opts: { implicitTls: boolean }): DarwinSmtpServer {
  const mode: Mode = {
    name: 'submission',
    mail: [
      {
        name: 'sender',
        run: async (input) => {
          const user = input.session.user as SessionUser | undefined;
          if (!user) return reject(new SmtpError(530, '5.7.0', 'Authentication required'));
          const sender = await services.directory.sender(user.id);
          if (!sender || !sender.active) return reject(REPLIES.authFailed());
          if (sender.outboundBlocked) return reject(REPLIES.outboundBlocked());
          if (sender.sendSuspended) return reject(REPLIES.sendSuspended());
          if (needsUtf8(input.address.address, input.session)) return reject(utf8Required());
          if (!(await services.directory.mayUseSender(sender, input.address.address, services.separator))) return reject(REPLIES.senderNotOwned(sender.address));
          const declared = Number((input.address.args && input.address.args.SIZE) || 0);
          if (declared > sender.maxMessageBytes) return reject(REPLIES.tooBig(sender.maxMessageBytes));
          input.sender = sender;
          return CONTINUE;
        },
      },
    ],
    rcpt: [
      {
        name: 'recipient-limit',
        run: async ({ session, sender }) => {
          const max = Math.min(ctx.config.smtpMaxRecipients, sender?.maxRecipients ?? ctx.config.smtpMaxRecipients);
          return session.envelope.rcptTo.length >= max ? reject(REPLIES.tooManyRecipients(max)) : CONTINUE;
        },
      },
      { name: 'smtputf8', run: async ({ address, session }) => (needsUtf8(address.address, session) ? reject(utf8Required()) : CONTINUE) },
      {
        name: 'resolve',
        run: async (input) => {
          input.resolution = await resolveRcpt(services, input.address.address);
          return CONTINUE;
        },
      },
    ],
  };
  const options: SMTPServerOptions = {
    ...commonOptions(ctx),
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: false,
    // Our connection class decides (TLS, or plaintext from where the config allows it).
    allowInsecureAuth: true,
    authRequiredMessage: '5.7.0 Authentication required',
    ...(opts.implicitTls ? { secure: true } : { hideSTARTTLS: false }),
  };
  return createServer(ctx, services, mode, options, policyFor(ctx, true));
}

