/**
 * The MIME structure of a stored message, computed once while it is spooled and kept as JSON with
 * the message row: what IMAP ENVELOPE and BODYSTRUCTURE report, plus the byte offsets of every
 * part so that BODY[1.2], BODY[1.MIME] or BODY[HEADER] read only those bytes from the blob.
 *
 * Values are the raw header text (unfolded, encoded-words left as they are), as IMAP requires.
 */

/** One address of an ENVELOPE address list; a group is framed by `{group}` and `{groupEnd}`. */
export interface EnvelopeAddress {
  readonly name: string | null;
  readonly adl: string | null;
  readonly mailbox: string | null;
  readonly host: string | null;
}

export interface Envelope {
  readonly date: string | null;
  readonly subject: string | null;
  readonly from: readonly EnvelopeAddress[] | null;
  readonly sender: readonly EnvelopeAddress[] | null;
  readonly replyTo: readonly EnvelopeAddress[] | null;
  readonly to: readonly EnvelopeAddress[] | null;
  readonly cc: readonly EnvelopeAddress[] | null;
  readonly bcc: readonly EnvelopeAddress[] | null;
  readonly inReplyTo: string | null;
  readonly messageId: string | null;
}

export type Params = readonly (readonly [string, string])[];

export interface MimePart {
  /** Offsets in the message: MIME header start, body start (after the blank line), body end. */
  readonly hs: number;
  readonly bs: number;
  readonly be: number;
  /** Lines of the body (reported for text/* and message/rfc822). */
  readonly lines: number;
  /** As written in Content-Type (defaults: "text" "plain"; "message" "rfc822" inside multipart/digest). */
  readonly type: string;
  readonly subtype: string;
  readonly params: Params;
  readonly id: string | null;
  readonly description: string | null;
  /** Content-Transfer-Encoding, default "7bit". */
  readonly encoding: string;
  readonly md5: string | null;
  readonly disposition: { readonly type: string; readonly params: Params } | null;
  readonly language: readonly string[] | null;
  readonly location: string | null;
  /** multipart/*: the parts, in order (at least one; an empty multipart gets an empty text part). */
  readonly parts?: readonly MimePart[];
  /** message/rfc822 (and message/global): the encapsulated message. */
  readonly message?: { readonly envelope: Envelope; readonly body: MimePart };
}

/** What is stored with a message (messages.bodystructure). */
export interface MessageStructure {
  /** Format version, so a later parser can recognise and refresh old rows. */
  readonly v: 1;
  /** The message itself as a part: hs = 0, bs = end of the top-level header. */
  readonly root: MimePart;
}

/** Everything the spool learns about a message while it arrives. */
export interface ParsedMessage {
  readonly envelope: Envelope;
  readonly structure: MessageStructure;
  /** The top-level header, unfolded, encoded-words decoded, one "name: value" per line (SEARCH HEADER). */
  readonly headerText: string;
  /** Decoded text of the text/* parts (HTML without tags), capped (SEARCH BODY/TEXT). */
  readonly bodyText: string;
}

export function isMultipart(p: MimePart): boolean {
  return p.parts !== undefined;
}
