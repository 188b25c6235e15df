import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import type { Logger } from '@darwin/logger';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Hop } from './routing.js';

/**
 * One SMTP transaction per attempt, with nodemailer's SMTP client (SMTPConnection, the engine of
 * its SMTP transport). We drive the connection ourselves rather than through createTransport()
 * because the queue needs what the transport hides: SIZE= and BODY=8BITMIME on MAIL FROM (the
 * transport sends neither for raw messages), each recipient's own reply, the host that answered,
 * and a second, plaintext connection when a STARTTLS handshake fails (opportunistic TLS).
 */

export type OutcomeKind = 'sent' | 'temp' | 'perm';

export interface RecipientOutcome {
  readonly kind: OutcomeKind;
  /** Enhanced status code (RFC 3463), from the reply when it has one. */
  readonly status: string;
  /** The remote reply (`550 5.1.1 ...`) or what went wrong on our side. */
  readonly diagnostic: string;
  /** The host that gave the answer, when a host did. */
  readonly remoteMta?: string;
}

export interface SendRequest {
  readonly from: string;
  readonly recipients: readonly string[];
  readonly size: number;
  /** A fresh stream of the bytes to send; called once for each connection that reaches DATA. */
  readonly open: () => Readable;
}

export interface SmtpClientOptions {
  /** Our name in EHLO. */
  readonly name: string;
  readonly connectTimeoutMs: number;
  readonly socketTimeoutMs: number;
  /** Refuse hosts whose certificate does not verify (no fallback to plaintext then). */
  readonly tlsVerify: boolean;
  /** Trust anchors instead of the system's, for verified TLS (tests). */
  readonly tlsCa?: string;
  readonly logger: Logger;
  /** Aborting closes the connection; the recipients come back as temporary failures. */
  readonly signal?: AbortSignal;
  /** Called with the socket state of each finished transaction (tests, logs). */
  readonly onSession?: (info: { host: string; address: string; secure: boolean }) => void;
}

type SmtpError = Error & { code?: string; response?: string; responseCode?: number; permanent?: boolean; recipient?: string; rejectedErrors?: SmtpError[] };

type Session =
  | { readonly kind: 'done'; readonly outcomes: Map<string, RecipientOutcome> }
  /** Nothing was decided by this host (no connection, bad greeting, broken TLS): try the next. */
  | { readonly kind: 'unreachable'; readonly error: string; readonly tls: boolean };

/**
 * Tries the hops in order, each address in order, until one host takes a decision on the
 * recipients (accepts or rejects them); when none does, every recipient gets a temporary failure
 * with the last error. Answers one outcome per recipient address.
 */
export async function sendViaHops(hops: readonly Hop[], req: SendRequest, opts: SmtpClientOptions): Promise<Map<string, RecipientOutcome>> {
  let lastError = 'no host to try';
  for (const hop of hops) {
    for (const address of hop.addresses) {
      if (opts.signal?.aborted) return allRecipients(req, { kind: 'temp', status: '4.4.2', diagnostic: 'delivery interrupted (shutting down)' });
      let session = await transaction(hop, address, req, opts, false);
      // Opportunistic TLS: a host whose STARTTLS fails gets the message in plaintext (Postfix "may"),
      // unless credentials would travel (the smarthost with AUTH): TLS is then required.
      if (session.kind === 'unreachable' && session.tls && !opts.tlsVerify && !hop.auth && !hop.verifiedTls) session = await transaction(hop, address, req, opts, true);
      if (session.kind === 'done') return session.outcomes;
      lastError = `${hop.host}[${address}]:${hop.port}: ${session.error}${hop.verifiedTls ? ' (MTA-STS policy: verified TLS required)' : ''}`;
      opts.logger.info('outbound host unreachable, trying the next', { host: hop.host, address, port: hop.port, error: session.error });
    }
  }
  return allRecipients(req, { kind: 'temp', status: '4.4.1', diagnostic: `No host accepted a connection: ${lastError}` });
}

function allRecipients(req: SendRequest, outcome: RecipientOutcome): Map<string, RecipientOutcome> {
  return new Map(req.recipients.map((r) => [r, outcome]));
}

const ENHANCED = /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/;

/** Enhanced status of a reply: its own, else derived from the reply code's class. */
export function enhancedStatus(response: string | undefined, responseCode: number | undefined): string {
  const m = ENHANCED.exec(response ?? '');
  if (m) return m[1]!;
  const cls = Math.floor((responseCode ?? 400) / 100);
  return `${cls === 5 ? 5 : cls === 2 ? 2 : 4}.0.0`;
}

function oneLine(s: string | undefined): string {
  return (s ?? '').replace(/\r?\n/g, ' ').trim();
}

function fromReply(err: SmtpError, host: string): RecipientOutcome {
  const code = err.responseCode;
  const permanent = err.permanent ?? (code !== undefined && code >= 500);
  const reply = oneLine(err.response) || err.message;
  return { kind: permanent ? 'perm' : 'temp', status: enhancedStatus(err.response, code), diagnostic: reply, remoteMta: host };
}

function transaction(hop: Hop, address: string, req: SendRequest, opts: SmtpClientOptions, plaintext: boolean): Promise<Session> {
  return new Promise<Session>((resolve) => {
    const servername = isIP(hop.host) ? undefined : hop.host;
    // With credentials: implicit TLS on 465, else STARTTLS required (AUTH never in plaintext).
    const implicitTls = hop.auth !== undefined && hop.port === 465;
    const conn = new SMTPConnection({
      host: address,
      port: hop.port,
      name: opts.name,
      secure: implicitTls,
      ignoreTLS: plaintext,
      requireTLS: (hop.auth !== undefined && !implicitTls) || hop.verifiedTls === true,
      opportunisticTLS: hop.auth === undefined && hop.verifiedTls !== true,
      servername,
      tls: { rejectUnauthorized: opts.tlsVerify || hop.verifiedTls === true, servername, ...(opts.tlsCa ? { ca: opts.tlsCa } : {}) },
      connectionTimeout: opts.connectTimeoutMs,
      greetingTimeout: opts.connectTimeoutMs,
      socketTimeout: opts.socketTimeoutMs,
      logger: false,
    });
    // A failed handshake surfaces as a socket error (ESOCKET, "wrong version number"...), not
    // always as ETLS: note when the STARTTLS upgrade began (nodemailer's internal step; if it is
    // ever renamed, only ETLS errors trigger the plaintext retry).
    let startedTls = false;
    const internals = conn as unknown as { _upgradeConnection?: (cb: unknown) => void };
    const upgrade = internals._upgradeConnection?.bind(conn);
    if (upgrade) {
      internals._upgradeConnection = (cb: unknown) => {
        startedTls = true;
        upgrade(cb);
      };
    }
    let phase: 'connect' | 'send' = 'connect';
    let settled = false;
    const settle = (s: Session) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      if (s.kind === 'done') {
        opts.onSession?.({ host: hop.host, address, secure: conn.secure });
        conn.quit();
        setTimeout(() => conn.close(), 5_000).unref();
      } else conn.close();
      resolve(s);
    };
    const onAbort = () => settle({ kind: 'done', outcomes: allRecipients(req, { kind: 'temp', status: '4.4.2', diagnostic: 'delivery interrupted (shutting down)' }) });
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const failed = (err: SmtpError) => {
      if (phase === 'connect') {
        settle({ kind: 'unreachable', error: oneLine(err.response) || oneLine(`${err.code ?? 'error'}: ${err.message}`), tls: err.code === 'ETLS' || startedTls });
      } else {
        // The connection broke during the transaction: nobody decided anything.
        settle({ kind: 'done', outcomes: allRecipients(req, { kind: 'temp', status: '4.4.2', diagnostic: oneLine(`Connection to ${hop.host}[${address}] lost: ${err.code ?? ''} ${err.message}`), remoteMta: hop.host }) });
      }
    };
    conn.on('error', failed);
    conn.once('end', () => failed(Object.assign(new Error('connection closed'), { code: 'ECONNECTION' })));

    const authenticate = (next: () => void) => {
      if (!hop.auth) return next();
      conn.login({ user: hop.auth.user, pass: hop.auth.pass }, (err?: SmtpError | null) => {
        if (!err) return next();
        // A refused login decides nothing about the recipients: they wait for the next attempt
        // (as Postfix defers on a SASL failure). The password is never part of the diagnostic.
        phase = 'send';
        const reply = oneLine(err.response) || `${err.code ?? 'error'}: ${err.message}`;
        settle({ kind: 'done', outcomes: allRecipients(req, { kind: 'temp', status: '4.7.0', diagnostic: `Authentication at ${hop.host} failed: ${reply}`, remoteMta: hop.host }) });
      });
    };

    conn.connect((err?: SmtpError) => {
      if (err) return failed(err);
      authenticate(() => send());
    });

    const send = () => {
      phase = 'send';
      let stream: Readable;
      try {
        stream = req.open();
      } catch (e) {
        return settle({ kind: 'done', outcomes: allRecipients(req, { kind: 'temp', status: '4.3.0', diagnostic: `Cannot read the message: ${(e as Error).message}` }) });
      }
      conn.send({ from: req.from, to: [...req.recipients], size: req.size, use8BitMime: true }, stream, (sendErr, info) => {
        const outcomes = new Map<string, RecipientOutcome>();
        if (!sendErr && info) {
          const response = oneLine(info.response);
          for (const rcpt of info.accepted) outcomes.set(rcpt, { kind: 'sent', status: enhancedStatus(response, 250), diagnostic: response, remoteMta: hop.host });
          for (const e of (info.rejectedErrors ?? []) as SmtpError[]) if (e.recipient) outcomes.set(e.recipient, fromReply(e, hop.host));
        } else {
          const e = sendErr as SmtpError;
          if (!e.responseCode && e.code === 'EMESSAGE' && /larger than allowed/i.test(e.message)) {
            // The server's EHLO SIZE is below the message size: it would refuse it every time.
            stream.destroy();
            return settle({ kind: 'done', outcomes: allRecipients(req, { kind: 'perm', status: '5.3.4', diagnostic: `${hop.host}: ${e.message}`, remoteMta: hop.host }) });
          }
          if (!e.responseCode) {
            stream.destroy();
            return failed(e);
          }
          // Recipients refused at RCPT keep their own reply; the rest share the error's (MAIL FROM,
          // DATA or end of data).
          const rejected = (e.rejectedErrors ?? envelopeRejections(conn)) as SmtpError[];
          for (const r of rejected) if (r.recipient) outcomes.set(r.recipient, fromReply(r, hop.host));
          for (const rcpt of req.recipients) if (!outcomes.has(rcpt)) outcomes.set(rcpt, fromReply(e, hop.host));
        }
        for (const rcpt of req.recipients) {
          if (!outcomes.has(rcpt)) outcomes.set(rcpt, { kind: 'temp', status: '4.0.0', diagnostic: `No reply for this recipient from ${hop.host}`, remoteMta: hop.host });
        }
        settle({ kind: 'done', outcomes });
      });
    };
  });
}

/** Recipients refused at RCPT when the message then failed at DATA (nodemailer keeps them on the envelope). */
function envelopeRejections(conn: SMTPConnection): SmtpError[] {
  const envelope = (conn as unknown as { _envelope?: { rejectedErrors?: SmtpError[] } })._envelope;
  return envelope?.rejectedErrors ?? [];
}
