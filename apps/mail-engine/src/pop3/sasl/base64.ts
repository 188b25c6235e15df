/**
 * Strict base64 (RFC 4648 section 4) for SASL exchanges: the standard alphabet, padding only at the
 * end, a length that is a multiple of 4, and no stray bits. Node's decoder skips anything it does
 * not understand, which would let "not base64 at all" pass as some bytes; RFC 5034 section 4 wants
 * such a response rejected. Pure; no POP3 in here (IMAP AUTHENTICATE and SMTP AUTH need the same).
 */
const SHAPE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The decoded bytes, or undefined when `text` is not canonical base64. "" decodes to zero bytes. */
export function decodeBase64(text: string): Buffer | undefined {
  if (!SHAPE.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  // Non-zero bits in the last character before the padding ("QQ==" vs "QR==") are not canonical.
  return bytes.toString('base64') === text ? bytes : undefined;
}

export function encodeBase64(bytes: Buffer | string): string {
  return Buffer.from(bytes).toString('base64');
}
