/**
 * Why a lookup failed: the name does not exist (NXDOMAIN), it has no record of the asked type
 * (NODATA), its server failed (SERVFAIL), no answer came in time (TIMEOUT), or anything else.
 */
export type DnsErrorKind = 'NXDOMAIN' | 'NODATA' | 'SERVFAIL' | 'TIMEOUT' | 'OTHER';

/** node:dns (c-ares) error codes by kind. */
const KINDS: Readonly<Record<string, DnsErrorKind>> = { ENOTFOUND: 'NXDOMAIN', ENODATA: 'NODATA', ESERVFAIL: 'SERVFAIL', ETIMEOUT: 'TIMEOUT' };

/**
 * A failed DNS lookup. Keeps node:dns's `code` (ENOTFOUND, ENODATA, ESERVFAIL, ETIMEOUT, ...) and
 * message, which mailauth reads to tell "none" from "temperror".
 */
export class DnsError extends Error {
  readonly kind: DnsErrorKind;

  constructor(
    message: string,
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DnsError';
    this.kind = KINDS[code] ?? 'OTHER';
  }

  /** The name or the record does not exist: an answer, not a failure to get one. */
  get missing(): boolean {
    return this.kind === 'NXDOMAIN' || this.kind === 'NODATA';
  }

  static from(err: unknown): DnsError {
    if (err instanceof DnsError) return err;
    const e = err as { code?: unknown; message?: unknown };
    return new DnsError(String(e?.message ?? err), typeof e?.code === 'string' ? e.code : 'EUNKNOWN', { cause: err });
  }
}
