import type { CommandSession } from './commands/command.js';
import { NO_SUCH_MESSAGE, TEMPORARY_FAILURE } from './commands/replies.js';
import { DotStuffing } from './dot-stuffer.js';
import { ConnectionClosed } from './errors.js';
import type { MaildropMessage } from './maildrop.js';
import { TopCutter } from './top-filter.js';

const TERMINATOR = Buffer.from('.\r\n');

export interface SendOptions {
  /** The text after "+OK " of the status line. */
  readonly status: string;
  /** TOP: header plus this many body lines; RETR: undefined (the whole message). */
  readonly bodyLines?: number;
  /** Runs once every byte is read and checked, before the terminating "." is written. */
  readonly beforeTerminator?: () => void;
  /** The whole message, already read (read-ahead); streamed from the store when absent. */
  readonly bytes?: Buffer | undefined;
}

/**
 * Streams a stored message as a multi-line response: store blob -> (TOP cut) -> byte-stuffing ->
 * socket, one store chunk at a time, the next read only once the socket has drained, so memory per
 * RETR is a chunk or two whatever the message size. The reply ends as soon as the stored size has
 * arrived (RETR) or TOP has its lines, without waiting for the store to report the end of the
 * blob (a round trip per message). A message that fits in one chunk (most mail: chunks are
 * 256 KiB) leaves in one write: status line, bytes and terminator together.
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
  // Read ahead: one write, no store. A length that disagrees with the stored size goes the
  // streaming way, which refuses to end such a message cleanly.
  if (opts.bytes && opts.bodyLines === undefined && opts.bytes.length === message.size) {
    const stuffing = new DotStuffing();
    const wire = stuffing.stuff(opts.bytes);
    await s.write([Buffer.from(`+OK ${opts.status}\r\n`), wire, ...end(stuffing, message, opts)]);
    return true;
  }
  // The stored size as range: the store then knows which chunk is the last and never has to
  // query once more to find out that there is nothing after it.
  const blob = s.engine.store.openBlob(message.blobId, { start: 0, end: message.size });
  const stuffing = new DotStuffing();
  const cut = opts.bodyLines === undefined ? undefined : new TopCutter(opts.bodyLines);
  const status = Buffer.from(`+OK ${opts.status}\r\n`);
  let started = false;
  let complete = false;
  try {
    for await (const raw of blob as AsyncIterable<Buffer>) {
      const wire = stuffing.stuff(cut ? cut.push(raw) : raw);
      const pieces: Buffer[] = started ? [wire] : [status, wire];
      started = true;
      complete = cut ? cut.done : stuffing.bytesIn >= message.size;
      if (complete) pieces.push(...end(stuffing, message, opts));
      await s.write(pieces);
      if (complete) break; // leaving the loop destroys the blob stream: no further read
    }
  } catch (err) {
    if (started || err instanceof ConnectionClosed) throw err;
    s.log.error('could not read a message', { err, uid: message.uid, blobId: message.blobId });
    await s.err(TEMPORARY_FAILURE);
    return false;
  }
  if (complete) return true;
  if (!started && message.size > 0) {
    s.log.warn('message vanished from the store during the session', { uid: message.uid });
    await s.err(NO_SUCH_MESSAGE);
    return false;
  }
  // The blob ended: a TOP that wanted more lines than the body has, an empty message, or a blob
  // shorter than the stored size (end() refuses that one).
  await s.write([...(started ? [] : [status]), ...end(stuffing, message, opts)]);
  return true;
}

/** What closes a complete message on the wire; throws when a RETR's octets do not match the stored size. */
function end(stuffing: DotStuffing, message: MaildropMessage, opts: SendOptions): Buffer[] {
  if (opts.bodyLines === undefined && stuffing.bytesIn !== message.size) {
    throw new Error(`message uid ${message.uid}: stored size ${message.size}, read ${stuffing.bytesIn} octets`);
  }
  opts.beforeTerminator?.();
  return [stuffing.finish(), TERMINATOR];
}
