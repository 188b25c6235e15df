import { spoolBuffer, type SpooledMessage } from '@darwin/mail-store';
import { bad, no } from '../errors.js';
import { readHead } from '../parser/command-parser.js';
import type { LiteralRequest } from '../parser/framer.js';
import type { Token } from '../parser/tokenizer.js';
import { parseDateTime } from '../protocol/imap-date.js';
import { ArgumentError, mailbox, readFlags, rest } from './args.js';
import { AUTHENTICATED, defineCommand, type CommandSpec, type LiteralStreamDecision, type SessionApi } from './types.js';

const MARKER = /\s*~?\{\d+\+?\}$/;

/** The message literal is the last argument; a literal right after "APPEND" is the mailbox name. */
function isMessageLiteral(req: LiteralRequest): boolean {
  if (req.index > 0) return true;
  const head = readHead(req.firstLine);
  const before = req.line.subarray(head.argsAt).toString('latin1').replace(MARKER, '').trim();
  return before !== '';
}

/** Size and quota are checked before the client is told to send (RFC 7889, RFC 9208 OVERQUOTA). */
async function decide(session: SessionApi, req: LiteralRequest): Promise<LiteralStreamDecision> {
  const limit = session.appendLimit();
  if (req.size > limit) return { refuse: { text: `Message too large (limit ${limit} bytes).`, code: 'TOOBIG' } };
  const q = await session.engine.store.quota(session.account!.id);
  if (q.usedBytes + req.size > q.quotaBytes || (q.quotaMessages !== null && q.usedMessages + 1 > q.quotaMessages)) {
    return { refuse: { text: 'Quota exceeded (mailbox for user is full).', code: 'OVERQUOTA' } };
  }
  return {};
}

/** RFC 6855 section 4: `UTF8 (~{n}` ends the line when the message comes as the UTF8 data item. */
const UTF8_DATA = /\sUTF8\s+\(~\{\d+\+?\}$/i;

/**
 * The message and the arguments before it: a plain literal last, or RFC 6855's `UTF8 (literal8)`
 * (a message with UTF-8 headers; stored as it is, like any other).
 */
function splitMessage(tail: readonly Token[]): { message: Token | undefined; optional: readonly Token[] } {
  const last = tail[tail.length - 1];
  const before = tail[tail.length - 2];
  if (last?.type === 'list' && before?.type === 'atom' && before.value.toUpperCase() === 'UTF8') {
    const [only, ...more] = last.items;
    if (!only || more.length > 0 || only.type !== 'string' || !only.binary) throw bad('UTF8 takes one literal8: UTF8 (~{n}).');
    return { message: only, optional: tail.slice(0, -2) };
  }
  if (last?.type === 'string' && last.binary) throw bad('A literal8 message must be given as UTF8 (~{n}).');
  return { message: last, optional: tail.slice(0, -1) };
}

function readOptional(tokens: readonly Token[]): { flags: string[]; date?: Date } {
  let flags: string[] = [];
  let date: Date | undefined;
  for (const t of tokens) {
    if (t.type === 'list') flags = readFlags(t);
    else if (t.type === 'string' && !t.literal) {
      date = parseDateTime(t.value);
      if (!date) throw new ArgumentError('Invalid date-time');
    } else throw new ArgumentError('Expected (flags) and/or "date-time" before the message');
  }
  return { flags, date };
}

/**
 * RFC 3501 6.3.11 APPEND with RFC 4315 APPENDUID, RFC 7888 LITERAL+, RFC 7889 APPENDLIMIT and
 * RFC 6855's UTF8 data item (`UTF8 (~{n}`), which UTF8=ACCEPT servers take.
 * The message literal is streamed into a spool as it arrives (never held whole in memory), after
 * the size and quota were checked and before `+` was sent. A message that still does not fit the
 * quota at delivery (concurrent mail) is refused with `NO [OVERQUOTA]`; nothing is stored.
 */
export const appendCommand: CommandSpec = defineCommand({
  name: 'APPEND',
  states: AUTHENTICATED,
  args: [mailbox(), rest('[(flags)] ["date-time"] message')],
  streamLiteral(session, req) {
    return isMessageLiteral(req) ? decide(session, req) : undefined;
  },
  acceptsBinaryLiteral(req) {
    return UTF8_DATA.test(req.line.toString('latin1'));
  },
  async handle(session, [name, tail]) {
    const { message: last, optional } = splitMessage(tail);
    if (!last || last.type !== 'string' || !last.literal) throw bad('APPEND needs the message as a literal.');
    const { flags, date } = readOptional(optional);
    let spooled: SpooledMessage | undefined = last.streamed !== undefined ? session.takeSpooled(last.streamed) : await spoolBuffer(Buffer.from(last.value, 'utf8'));
    if (!spooled) throw bad('APPEND message literal missing.');
    try {
      const store = session.engine.store;
      const account = session.account!;
      const folder = await store.getFolder(account.id, name);
      if (!folder) throw no('Mailbox does not exist.', 'TRYCREATE');
      if (spooled.size === 0) throw no("Can't save a zero byte message.");
      if (spooled.oversize || spooled.size > session.appendLimit()) throw no('Message too large.', 'TOOBIG');
      const [out] = await store.deliver(spooled, [{ mailboxId: account.id, folder: folder.name, flags }], { internalDate: date });
      if (out?.status === 'over_quota') throw no('Quota exceeded (mailbox for user is full).', 'OVERQUOTA');
      if (out?.status !== 'stored') throw no('Mailbox does not exist.', 'TRYCREATE');
      if (session.selected?.id === folder.id) session.selected.markChanged();
      return { text: 'APPEND completed.', code: { name: 'APPENDUID', args: `${out.uidvalidity} ${out.uid}` } };
    } finally {
      await spooled.dispose();
      spooled = undefined;
    }
  },
});
