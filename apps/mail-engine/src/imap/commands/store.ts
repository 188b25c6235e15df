import type { FlagMode } from '@darwin/mail-store';
import { bad, no } from '../errors.js';
import type { Token } from '../parser/tokenizer.js';
import { announceKeywords } from '../notifications.js';
import { untagged } from '../protocol/compiler.js';
import { formatNumbers, SequenceSetError } from '../sequence-set.js';
import { ArgumentError, parseNumber, readFlags, rest, sequenceSet } from './args.js';
import { defineCommand, SELECTED, type CommandSpec, type SessionApi } from './types.js';

interface StoreAction {
  readonly mode: FlagMode;
  readonly silent: boolean;
}

const ACTIONS: Record<string, StoreAction> = {
  FLAGS: { mode: 'set', silent: false },
  'FLAGS.SILENT': { mode: 'set', silent: true },
  '+FLAGS': { mode: 'add', silent: false },
  '+FLAGS.SILENT': { mode: 'add', silent: true },
  '-FLAGS': { mode: 'remove', silent: false },
  '-FLAGS.SILENT': { mode: 'remove', silent: true },
};

/** After the set: either `(UNCHANGEDSINCE n)` then the action, or the action directly. */
function readRest(tokens: readonly Token[]): { unchangedSince?: number; action: StoreAction; flags: string[] } {
  let i = 0;
  let unchangedSince: number | undefined;
  const first = tokens[0];
  if (first?.type === 'list') {
    const items = first.items;
    for (let k = 0; k < items.length; k++) {
      const name = items[k]?.type === 'atom' ? (items[k] as { value: string }).value.toUpperCase() : '';
      if (name === 'UNCHANGEDSINCE') unchangedSince = parseNumber(items[++k], 'UNCHANGEDSINCE');
      else throw new ArgumentError(`Unknown STORE modifier ${name || '?'}`);
    }
    i = 1;
  }
  const a = tokens[i];
  if (!a || a.type !== 'atom' || !ACTIONS[a.value.toUpperCase()]) throw new ArgumentError('Expected FLAGS, +FLAGS or -FLAGS (optionally .SILENT)');
  const tail = tokens.slice(i + 1);
  if (tail.length === 0) throw new ArgumentError('Missing flags');
  // Flags as a list, or as bare atoms (RFC 3501: flag-list / 1*flag).
  const flags = tail.length === 1 ? readFlags(tail[0]!) : readFlags({ type: 'list', items: tail });
  return { unchangedSince, action: ACTIONS[a.value.toUpperCase()]!, flags };
}

/**
 * RFC 3501 6.4.6 STORE and UID STORE, with RFC 7162 UNCHANGEDSINCE (failed messages reported in
 * `[MODIFIED ...]`). One new modseq for the whole command. Unless .SILENT, every message of the set
 * gets a FETCH with its flags (changed or not, as Dovecot does), MODSEQ when CONDSTORE is on.
 */
function storeLike(byUid: boolean) {
  return defineCommand({
    name: byUid ? 'UID STORE' : 'STORE',
    states: SELECTED,
    args: [sequenceSet(), rest('[modifiers] action flags')],
    expunges: byUid,
    async handle(session: SessionApi, [set, tail]) {
      const folder = session.selected!;
      const { unchangedSince, action, flags } = readRest(tail);
      if (folder.readOnly) throw no('Mailbox is read-only.', 'READ-ONLY');
      if (unchangedSince !== undefined) session.useCondstore();
      let ranges;
      try {
        ranges = folder.resolve(set, byUid);
      } catch (err) {
        if (err instanceof SequenceSetError) throw bad(err.message);
        throw err;
      }
      const store = session.engine.store;
      const uids = folder.uidsOf(ranges);
      const result = await store.storeFlags(folder.id, uids, action.mode, flags, { unchangedSince });
      folder.noteOwnChanges(result.updated);
      const changed = new Map(result.updated.map((u) => [u.uid, u]));
      await announceKeywords(session, flags);
      const modified = new Set(result.modified);
      const condstore = session.condstore;
      if (!action.silent || (condstore && unchangedSince !== undefined)) {
        for await (const batch of folder.batches(store, ranges)) {
          for (const { seq, message } of batch) {
            if (modified.has(message.uid)) continue;
            const u = changed.get(message.uid);
            if (action.silent && !u) continue;
            await session.send(
              untagged(
                (b) =>
                  b
                    .number(seq)
                    .atom('FETCH')
                    .list((l) => {
                      // UID, MODSEQ, FLAGS: the order Dovecot uses.
                      if (byUid) l.atom('UID').number(message.uid);
                      if (condstore) l.atom('MODSEQ').list((m) => m.number(u?.modseq ?? message.modseq));
                      if (!action.silent) l.atom('FLAGS').flags(folder.flagsOf(message.uid, u?.flags ?? message.flags));
                    }),
                session.logResponses,
              ),
            );
          }
        }
      }
      const name = byUid ? 'UID STORE' : 'STORE';
      if (modified.size > 0) {
        const list = byUid ? [...modified] : [...modified].map((u) => folder.seqOf(u)).filter((s) => s > 0);
        return { text: `Conditional ${name} failed.`, code: { name: 'MODIFIED', args: formatNumbers(list.sort((a, b) => a - b)) } };
      }
      return { text: `${name} completed.` };
    },
  });
}

export const storeCommand: CommandSpec = storeLike(false);
export const uidStoreCommand: CommandSpec = storeLike(true);
