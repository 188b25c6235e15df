import { pipeline } from 'node:stream/promises';
import type { CommandSession } from './commands/command.js';
import { NO_SUCH_MESSAGE, TEMPORARY_FAILURE } from './commands/replies.js';
import { DotStuffer } from './dot-stuffer.js';
import { ConnectionClosed } from './errors.js';
import type { MaildropMessage } from './maildrop.js';
import { topOfMessage } from './top-filter.js';

export interface SendOptions {
  /** The text after "+OK " of the status line. */
  readonly status: string;
  /** TOP: header plus this many body lines; RETR: undefined (the whole message). */
  readonly bodyLines?: number;
  /** Runs once every byte is out, before the terminating ".": a client that has the whole reply can rely on its effect. */
  readonly beforeTerminator?: () => Promise<void>;
}

/**
 * Streams a stored message as a multi-line response: store blob -> (TOP cut) -> byte-stuffing ->
 * socket, one store chunk at a time, the next read only once the socket has drained, so memory per
 * RETR is a chunk or two whatever the message size.
 *
 * The status line waits for the first chunk: when the message vanished meanwhile (expunged over
 * IMAP, its blob freed) the client gets "-ERR no such message" instead of an empty message. Once
 * the status line is out there is no clean way to report a failure, so an error, or a RETR whose
 * bytes do not add up to the stored size, closes the connection without the terminating "." —
 * the client sees a failed transfer instead of a silently wrong message.
 *
 * Resolves true when the message was sent, false when an -ERR was sent instead.
 */
export async function sendMessage(s: CommandSession, message: MaildropMessage, opts: SendOptions): Promise<boolean> {
  const blob = s.engine.store.openBlob(message.blobId);
  const stuffer = new DotStuffer();
  let started = false;
  const toSocket = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) {
      if (!started) {
        started = true;
        await s.ok(opts.status);
      }
      await s.write(chunk);
    }
  };
  try {
    if (opts.bodyLines === undefined) await pipeline(blob, stuffer, toSocket);
    else await pipeline(blob, topOfMessage(opts.bodyLines), stuffer, toSocket);
  } catch (err) {
    if (started || err instanceof ConnectionClosed) throw err;
    s.log.error('could not read a message', { err, uid: message.uid, blobId: message.blobId });
    await s.err(TEMPORARY_FAILURE);
    return false;
  }
  if (!started) {
    if (message.size > 0) {
      s.log.warn('message vanished from the store during the session', { uid: message.uid });
      await s.err(NO_SUCH_MESSAGE);
      return false;
    }
    await s.ok(opts.status);
  }
  if (opts.bodyLines === undefined && stuffer.bytesIn !== message.size) {
    throw new Error(`message uid ${message.uid}: stored size ${message.size}, read ${stuffer.bytesIn} octets`);
  }
  await opts.beforeTerminator?.();
  await s.write('.\r\n');
  return true;
}
