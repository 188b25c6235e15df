import type { FolderInfo } from '@darwin/mail-store';
import { untagged, type ResponseBuilder } from '../protocol/compiler.js';
import { decodeModifiedUtf7, encodeMailboxName, MailboxNameError } from '../protocol/mailbox-name.js';
import { ArgumentError, astring, type ArgSpec } from './args.js';
import { AUTHENTICATED, defineCommand } from './types.js';

/** The hierarchy delimiter this server announces. */
export const DELIMITER = '/';

/** list-mailbox (an astring that may contain % and *), decoded from modified UTF-7 around the wildcards. */
const pattern: ArgSpec<string> = {
  name: 'mailbox pattern',
  read(t) {
    const wire = astring('mailbox pattern').read(t);
    try {
      return wire
        .split(/([*%])/)
        .map((part) => (part === '*' || part === '%' ? part : decodeModifiedUtf7(part)))
        .join('');
    } catch (err) {
      if (err instanceof MailboxNameError) throw new ArgumentError(err.message);
      throw err;
    }
  },
};

const reference: ArgSpec<string> = {
  name: 'reference',
  read(t) {
    try {
      return decodeModifiedUtf7(astring('reference').read(t));
    } catch (err) {
      if (err instanceof MailboxNameError) throw new ArgumentError(err.message);
      throw err;
    }
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
export function lsubEntries(folders: readonly Pick<FolderInfo, 'name' | 'subscribed'>[], matches: (name: string) => boolean): Entry[] {
  const subscribed = folders.filter((f) => f.subscribed).map((f) => f.name);
  const set = new Set(subscribed);
  const out: Entry[] = subscribed.filter(matches).map((name) => ({ name, attributes: [] }));
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

function listLine(b: ResponseBuilder, e: Entry, kind: 'LIST' | 'LSUB' = 'LIST'): void {
  b.atom(kind)
    .list((l) => {
      for (const a of e.attributes) l.flag(a);
    })
    .string(DELIMITER)
    .astring(encodeMailboxName(e.name));
}

/**
 * RFC 3501 6.3.8 LIST, without the RFC 5258 extensions (clients such as imapflow need it to open
 * a mailbox). The reference is prepended to the pattern; an empty pattern asks for the delimiter.
 * Special-use attributes (RFC 6154) are included.
 */
export const listCommand = defineCommand({
  name: 'LIST',
  states: AUTHENTICATED,
  args: [reference, pattern],
  async handle(session, [ref, pat]) {
    const log = session.logResponses;
    if (pat === '') {
      await session.send(untagged((b) => b.atom('LIST').list((l) => l.flag('\\Noselect')).string(DELIMITER).string(''), log));
      return { text: 'LIST completed.' };
    }
    const matches = compilePattern(ref + pat);
    const folders = await session.engine.store.listFolders(session.account!.id);
    for (const e of listEntries(folders)) {
      if (matches(e.name)) await session.send(untagged((b) => listLine(b, e), log));
    }
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
    for (const e of lsubEntries(folders, matches)) await session.send(untagged((b) => listLine(b, e, 'LSUB'), log));
    return { text: 'LSUB completed.' };
  },
});
