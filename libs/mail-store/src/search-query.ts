/**
 * A SEARCH expression the store evaluates in the database (RFC 3501 6.4.4 keys, RFC 7162 MODSEQ).
 * The protocol layer translates sequence numbers into UID ranges before it gets here, so the
 * store only ever sees UIDs. Strings are matched case-insensitively as substrings, like Dovecot.
 */
export type SearchKey =
  | { readonly type: 'all' }
  | { readonly type: 'none' }
  /** Inclusive UID ranges. */
  | { readonly type: 'uid'; readonly ranges: readonly { readonly from: number; readonly to: number }[] }
  | { readonly type: 'flag'; readonly flag: string; readonly present: boolean }
  /** `date` is YYYY-MM-DD; time and time zone are disregarded (dates compared in UTC). */
  | { readonly type: 'date'; readonly field: 'internal' | 'sent'; readonly op: 'before' | 'on' | 'since'; readonly date: string }
  | { readonly type: 'size'; readonly op: 'larger' | 'smaller'; readonly bytes: number }
  /** A header field (lower-case name) containing `value`; an empty value matches any message with the field. */
  | { readonly type: 'header'; readonly field: string; readonly value: string }
  | { readonly type: 'body'; readonly value: string }
  /** Header or body. */
  | { readonly type: 'text'; readonly value: string }
  | { readonly type: 'modseq'; readonly min: number }
  | { readonly type: 'not'; readonly key: SearchKey }
  | { readonly type: 'or'; readonly a: SearchKey; readonly b: SearchKey }
  | { readonly type: 'and'; readonly keys: readonly SearchKey[] };

export interface SearchHit {
  readonly uid: number;
  readonly modseq: number;
}
