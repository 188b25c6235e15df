/** The outcome of checking a command's arguments; `error` is the sentence after "-ERR ". */
export type ArgResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Checks the text after the command keyword (without the separating space). Pure. */
export type ArgParser<T> = (raw: string) => ArgResult<T>;

const ok = <T>(value: T): ArgResult<T> => ({ ok: true, value });
const fail = (error: string): ArgResult<never> => ({ ok: false, error });

function words(raw: string): string[] {
  return raw.split(' ').filter((w) => w !== '');
}

function number(word: string, what: string): ArgResult<number> {
  // Syntax only; whether the message exists is the maildrop's business ("no such message").
  return /^[0-9]+$/.test(word) ? ok(Number(word)) : fail(`Invalid ${what}.`);
}

export const noArgs: ArgParser<undefined> = (raw) => (words(raw).length === 0 ? ok(undefined) : fail('This command takes no arguments.'));

/** RETR, DELE: exactly one message number. */
export const messageNumber: ArgParser<number> = (raw) => {
  const w = words(raw);
  if (w.length === 0) return fail('Message number required.');
  if (w.length > 1) return fail('Too many arguments.');
  return number(w[0]!, 'message number');
};

/** LIST, UIDL: an optional message number. */
export const optionalMessageNumber: ArgParser<number | undefined> = (raw) => (words(raw).length === 0 ? ok(undefined) : messageNumber(raw));

/** TOP: a message number and a non-negative count of body lines. */
export const messageAndLineCount: ArgParser<{ readonly msg: number; readonly lines: number }> = (raw) => {
  const w = words(raw);
  if (w.length !== 2) return fail('TOP requires a message number and a number of lines.');
  const msg = number(w[0]!, 'message number');
  if (!msg.ok) return msg;
  const lines = number(w[1]!, 'number of lines');
  if (!lines.ok) return lines;
  return ok({ msg: msg.value, lines: lines.value });
};

/** USER: one name; surrounding spaces are dropped. */
export function requiredName(missing: string): ArgParser<string> {
  return (raw) => {
    const name = raw.trim();
    return name === '' ? fail(missing) : ok(name);
  };
}

/**
 * PASS: the rest of the line exactly as sent. RFC 1939 section 7 lets a server treat spaces in
 * the argument as part of the password, and passwords may begin or end with spaces.
 */
export function restOfLine(missing: string): ArgParser<string> {
  return (raw) => (raw === '' ? fail(missing) : ok(raw));
}

/** AUTH (RFC 5034): nothing (list the mechanisms), a mechanism, or a mechanism and an initial response. */
export interface AuthArgs {
  readonly mechanism?: string;
  /** Still base64, or "=" for an empty initial response. */
  readonly initialResponse?: string;
}

export const authArgs: ArgParser<AuthArgs> = (raw) => {
  const w = words(raw);
  if (w.length === 0) return ok({});
  if (w.length > 2) return fail('Too many arguments.');
  return ok(w.length === 1 ? { mechanism: w[0]! } : { mechanism: w[0]!, initialResponse: w[1]! });
};
