import type { FolderInfo } from '@darwin/mail-store';
import type { Token } from '../parser/tokenizer.js';
import { untagged, type ResponseBuilder } from '../protocol/compiler.js';
import { decodeModifiedUtf7, MailboxNameError, wireMailboxName } from '../protocol/mailbox-name.js';
import { ArgumentError, astring, rest, type ArgContext, type ArgSpec } from './args.js';
import { readStatusItems, sendStatus, type StatusItem } from './status.js';
import { AUTHENTICATED, defineCommand, type SessionApi } from './types.js';

/** The hierarchy delimiter this server announces. */
export const DELIMITER = '/';

/** list-mailbox (an astring that may contain % and *), decoded from modified UTF-7 around the wildcards. */
function decodePattern(wire: string, utf8: boolean): string {
  if (utf8) return wire;
  try {
    return wire
      .split(/([*%])/)
      .map((part) => (part === '*' || part === '%' ? part : decodeModifiedUtf7(part)))
      .join('');
  } catch (err) {
    if (err instanceof MailboxNameError) throw new ArgumentError(err.message);
    throw err;
  }
}

const pattern: ArgSpec<string> = {
  name: 'mailbox pattern',
  read(t, ctx) {
    return decodePattern(astring('mailbox pattern').read(t, ctx), ctx?.utf8 ?? false);
  },
};

const reference: ArgSpec<string> = {
  name: 'reference',
  read(t, ctx) {
    return decodePattern(astring('reference').read(t, ctx), ctx?.utf8 ?? false);
  },
};

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A decoded pattern -> predicate on names. `*` matches anything, `%` anything but the delimiter. */
export function compilePattern(source: string): (name: string) => boolean {
  let re = '';
  for (const ch of source) {
    if (ch === '*') re += '.*';
    else if (ch === '%') re += `[^${escape(DELIMITER)}]*`;
    else re += escape(ch);
  }
  const exact = new RegExp(`^${re}$`, 'su');
  const caseless = new RegExp(`^${re}$`, 'siu');
  // INBOX is case-insensitive (RFC 3501 5.1): "inbox" and "Inbox/%" find it.
  return (name) => exact.test(name) || ((name === 'INBOX' || name.startsWith(`INBOX${DELIMITER}`)) && caseless.test(name));
}

interface Entry {
  readonly name: string;
  readonly attributes: readonly string[];
}

/** Folders plus implied parents (`a` for `a/b` when `a` does not exist), with child attributes. */
export function listEntries(folders: readonly Pick<FolderInfo, 'name' | 'specialUse'>[]): Entry[] {
  const names = new Set(folders.map((f) => f.name));
  const implied = new Set<string>();
  for (const n of names) {
    const parts = n.split(DELIMITER);
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join(DELIMITER);
      if (parent && !names.has(parent)) implied.add(parent);
    }
  }
  const parents = new Set<string>();
  for (const n of [...names, ...implied]) {
    const cut = n.lastIndexOf(DELIMITER);
    if (cut > 0) parents.add(n.slice(0, cut));
  }
  const out: Entry[] = folders.map((f) => ({
    name: f.name,
    attributes: [parents.has(f.name) ? '\\HasChildren' : '\\HasNoChildren', ...(f.specialUse ? [f.specialUse] : [])],
  }));
  for (const n of implied) out.push({ name: n, attributes: ['\\Noselect', '\\HasChildren'] });
  const rank = (n: string) => (n === 'INBOX' ? 0 : 1);
  return out.sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * LSUB entries matching a pattern: subscribed folders, plus an unsubscribed parent of a
 * subscribed folder as \\Noselect when the pattern stops at the parent (`%`) and does not reach
 * the subscribed child itself (RFC 3501 6.3.9).
 */
export function lsubEntries(folders: readonly (Pick<FolderInfo, 'name' | 'subscribed'> & { specialUse?: string | null })[], matches: (name: string) => boolean): Entry[] {
  const subscribed = folders.filter((f) => f.subscribed).map((f) => f.name);
  const set = new Set(subscribed);
  const use = new Map(folders.map((f) => [f.name, f.specialUse ?? null]));
  // Special-use attributes are part of LSUB too (as Dovecot sends them).
  const out: Entry[] = subscribed.filter(matches).map((name) => ({ name, attributes: use.get(name) ? [use.get(name)!] : [] }));
  const implied = new Set<string>();
  for (const n of subscribed) {
    const parts = n.split(DELIMITER);
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join(DELIMITER);
      if (parent && !set.has(parent)) implied.add(parent);
    }
  }
  for (const p of implied) {
    if (!matches(p)) continue;
    if (subscribed.some((n) => n.startsWith(`${p}${DELIMITER}`) && matches(n))) continue;
    out.push({ name: p, attributes: ['\\Noselect'] });
  }
  const rank = (n: string) => (n === 'INBOX' ? 0 : 1);
  return out.sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function listLine(b: ResponseBuilder, e: Entry, utf8: boolean, kind: 'LIST' | 'LSUB' = 'LIST', childInfo = false): void {
  b.atom(kind)
    .list((l) => {
      for (const a of e.attributes) l.flag(a);
    })
    .string(DELIMITER)
    .mailboxName(wireMailboxName(e.name, utf8), utf8);
  if (childInfo) b.list((l) => l.string('CHILDINFO').list((x) => x.string('SUBSCRIBED')));
}

interface ListRequest {
  readonly subscribedOnly: boolean;
  readonly specialUseOnly: boolean;
  readonly recursive: boolean;
  readonly reference: string;
  readonly patterns: readonly string[];
  readonly returnSubscribed: boolean;
  readonly returnSpecialUse: boolean;
  readonly returnChildren: boolean;
  /** Selection or return options were given (RFC 5258 syntax). */
  readonly extended: boolean;
  readonly status?: readonly StatusItem[];
}

function atomOf(t: Token | undefined): string {
  return t?.type === 'atom' && !t.section ? t.value.toUpperCase() : '';
}

/** RFC 5258 grammar: LIST [(selection)] reference (pattern / (patterns)) [RETURN (options)]. */
function readListRequest(tokens: readonly Token[], ctx: ArgContext): ListRequest {
  let i = 0;
  const sel = new Set<string>();
  if (tokens[0]?.type === 'list') {
    for (const t of tokens[0].items) {
      const o = atomOf(t);
      if (!['SUBSCRIBED', 'REMOTE', 'RECURSIVEMATCH', 'SPECIAL-USE'].includes(o)) throw new ArgumentError(`Unknown LIST selection option ${o || '?'}`);
      sel.add(o);
    }
    if (sel.has('RECURSIVEMATCH') && sel.size === 1) throw new ArgumentError('RECURSIVEMATCH needs another selection option');
    i = 1;
  }
  if (tokens.length < i + 2) throw new ArgumentError('Expected reference and mailbox pattern');
  const ref = reference.read(tokens[i]!, ctx);
  const p = tokens[i + 1]!;
  const patterns = p.type === 'list' ? p.items.map((x) => pattern.read(x, ctx)) : [pattern.read(p, ctx)];
  const ret = new Set<string>();
  let status: StatusItem[] | undefined;
  const after = tokens.slice(i + 2);
  if (after.length > 0) {
    if (atomOf(after[0]) !== 'RETURN' || after[1]?.type !== 'list' || after.length !== 2) throw new ArgumentError('Expected RETURN (options)');
    const opts = after[1].items;
    for (let k = 0; k < opts.length; k++) {
      const o = atomOf(opts[k]);
      if (o === 'STATUS') status = readStatusItems(opts[++k]);
      else if (['SUBSCRIBED', 'CHILDREN', 'SPECIAL-USE'].includes(o)) ret.add(o);
      else throw new ArgumentError(`Unknown LIST return option ${o || '?'}`);
    }
  }
  return {
    subscribedOnly: sel.has('SUBSCRIBED'),
    specialUseOnly: sel.has('SPECIAL-USE'),
    recursive: sel.has('RECURSIVEMATCH'),
    reference: ref,
    patterns,
    returnSubscribed: ret.has('SUBSCRIBED') || sel.has('SUBSCRIBED'),
    returnSpecialUse: ret.has('SPECIAL-USE') || sel.has('SPECIAL-USE'),
    returnChildren: ret.has('CHILDREN'),
    extended: sel.size > 0 || after.length > 0,
    status,
  };
}

async function runList(session: SessionApi, req: ListRequest): Promise<void> {
  const log = session.logResponses;
  const utf8 = session.enabled.has('UTF8=ACCEPT');
  if (req.patterns.length === 1 && req.patterns[0] === '' && !req.subscribedOnly && !req.specialUseOnly) {
    await session.send(untagged((b) => b.atom('LIST').list((l) => l.flag('\\Noselect')).string(DELIMITER).string(''), log));
    return;
  }
  const matchers = req.patterns.filter((p) => p !== '').map((p) => compilePattern(req.reference + p));
  const matches = (n: string) => matchers.some((m) => m(n));
  const folders = await session.engine.store.listFolders(session.account!.id);
  const byName = new Map(folders.map((f) => [f.name, f]));
  const subscribed = new Set(folders.filter((f) => f.subscribed).map((f) => f.name));
  for (const e of listEntries(folders)) {
    const folder = byName.get(e.name);
    const isSubscribed = subscribed.has(e.name);
    let childInfo = false;
    if (req.subscribedOnly && !isSubscribed) {
      // RECURSIVEMATCH: a parent with subscribed children is listed with CHILDINFO.
      if (!req.recursive || ![...subscribed].some((n) => n.startsWith(`${e.name}${DELIMITER}`))) continue;
      childInfo = true;
    }
    if (req.specialUseOnly && !folder?.specialUse) continue;
    if (!matches(e.name)) continue;
    // With LIST-EXTENDED syntax, child attributes only when RETURN (CHILDREN) asks (RFC 5258 4; Dovecot).
    // Special-use attributes likewise only with RETURN (SPECIAL-USE) or the SPECIAL-USE selection.
    const base = e.attributes.filter((a) => {
      if (!req.extended) return true;
      if (a === '\\HasChildren' || a === '\\HasNoChildren') return req.returnChildren;
      if (a === folder?.specialUse) return req.returnSpecialUse;
      return true;
    });
    const attributes = req.returnSubscribed && isSubscribed ? ['\\Subscribed', ...base] : [...base];
    if (childInfo && !folder) attributes.push('\\NonExistent');
    const entry = { name: e.name, attributes };
    await session.send(untagged((b) => listLine(b, entry, utf8, 'LIST', childInfo && req.recursive), log));
    if (req.status && folder) await sendStatus(session, folder, req.status);
  }
}

/**
 * RFC 3501 6.3.8 LIST with RFC 5258 LIST-EXTENDED (selection SUBSCRIBED, SPECIAL-USE,
 * RECURSIVEMATCH; return SUBSCRIBED, CHILDREN, SPECIAL-USE), RFC 5819 LIST-STATUS and RFC 6154
 * special-use attributes. The reference is prepended to each pattern; an empty pattern asks for
 * the delimiter.
 */
export const listCommand = defineCommand({
  name: 'LIST',
  states: AUTHENTICATED,
  args: [rest('[(selection)] reference pattern [RETURN (options)]')],
  async handle(session, [tokens]) {
    const req = readListRequest(tokens, { utf8: session.enabled.has('UTF8=ACCEPT') });
    await runList(session, req);
    return { text: 'LIST completed.' };
  },
});

/**
 * RFC 3501 6.3.9 LSUB: like LIST over the subscribed folders. A `%` pattern that stops at an
 * unsubscribed parent of a subscribed folder returns that parent as \Noselect.
 */
export const lsubCommand = defineCommand({
  name: 'LSUB',
  states: AUTHENTICATED,
  args: [reference, pattern],
  async handle(session, [ref, pat]) {
    const log = session.logResponses;
    if (pat === '') {
      await session.send(untagged((b) => b.atom('LSUB').list((l) => l.flag('\\Noselect')).string(DELIMITER).string(''), log));
      return { text: 'LSUB completed.' };
    }
    const matches = compilePattern(ref + pat);
    const folders = await session.engine.store.listFolders(session.account!.id);
    const utf8 = session.enabled.has('UTF8=ACCEPT');
    for (const e of lsubEntries(folders, matches)) await session.send(untagged((b) => listLine(b, e, utf8, 'LSUB'), log));
    return { text: 'LSUB completed.' };
  },
});
