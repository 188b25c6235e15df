import { bad, no } from '../errors.js';
import type { Token } from '../parser/tokenizer.js';
import { flagListText, statusResponse, untagged } from '../protocol/compiler.js';
import { SelectedFolder } from '../selected-folder.js';
import { parseSequenceSet, SequenceSetError, type SequenceSet } from '../sequence-set.js';
import { vanishedEarlier } from '../vanished.js';
import { ArgumentError, mailbox, parseNumber, token } from './args.js';
import { AUTHENTICATED, defineCommand, type CommandSpec, type SessionApi } from './types.js';

interface Qresync {
  readonly uidvalidity: number;
  readonly modseq: number;
  readonly knownUids?: SequenceSet;
}

function readSet(t: Token | undefined): SequenceSet {
  if (!t || t.type !== 'atom') throw new ArgumentError('Expected a UID set');
  try {
    return parseSequenceSet(t.value);
  } catch (err) {
    if (err instanceof SequenceSetError) throw new ArgumentError(err.message);
    throw err;
  }
}

/** `(CONDSTORE)` or `(QRESYNC (uidvalidity modseq [known-uids [(seqs uids)]]))` (RFC 7162). */
function readParams(t: Token | undefined): { condstore: boolean; qresync?: Qresync } {
  if (!t) return { condstore: false };
  if (t.type !== 'list') throw new ArgumentError('Expected SELECT parameters in parentheses');
  let condstore = false;
  let qresync: Qresync | undefined;
  for (let i = 0; i < t.items.length; i++) {
    const p = t.items[i]!;
    const name = p.type === 'atom' ? p.value.toUpperCase() : '';
    if (name === 'CONDSTORE') condstore = true;
    else if (name === 'QRESYNC') {
      const q = t.items[++i];
      if (q?.type !== 'list' || q.items.length < 2) throw new ArgumentError('QRESYNC needs (uidvalidity modseq [known-uids])');
      qresync = {
        uidvalidity: parseNumber(q.items[0], 'UIDVALIDITY'),
        modseq: parseNumber(q.items[1], 'mod-sequence'),
        knownUids: q.items[2] ? readSet(q.items[2]) : undefined,
      };
    } else throw new ArgumentError(`Unknown SELECT parameter ${name || '?'}`);
  }
  return { condstore, qresync };
}

/** Without known UIDs, the client may know any UID (RFC 7162 3.2.5). */
const ALL_UIDS: SequenceSet = [{ from: 1, to: '*' }];

/**
 * RFC 3501 6.3.1 (SELECT) and 6.3.2 (EXAMINE), with RFC 7162 CONDSTORE (HIGHESTMODSEQ) and
 * QRESYNC (VANISHED (EARLIER) and the flags changed since the client's modseq). A SELECT while a
 * mailbox is selected deselects it first ([CLOSED] once CONDSTORE/QRESYNC is on), so a failed
 * SELECT leaves the session authenticated with nothing selected.
 */
function selectLike(name: 'SELECT' | 'EXAMINE', readOnly: boolean) {
  return defineCommand({
    name,
    states: AUTHENTICATED,
    args: [mailbox(), token('parameters', { optional: true })],
    notify: 'none',
    async handle(session: SessionApi, [folderName, paramToken]) {
      const params = readParams(paramToken);
      if (params.qresync && !session.enabled.has('QRESYNC')) throw bad('QRESYNC must be enabled first (ENABLE QRESYNC).');
      if (params.condstore) session.useCondstore();
      const log = session.logResponses;
      if (session.selected) {
        session.deselect();
        // RFC 7162 3.2.11; Dovecot sends it whether or not QRESYNC is on, and so do we.
        await session.send(statusResponse('*', 'OK', 'Previous mailbox closed.', { name: 'CLOSED' }, log));
      }
      const account = session.account!;
      const store = session.engine.store;
      const info = await store.getFolder(account.id, folderName);
      if (!info) throw no('Mailbox does not exist.', 'NONEXISTENT');
      const { folder, summary } = await SelectedFolder.open(store, info, readOnly);
      try {
        await session.send(untagged((b) => b.atom('FLAGS').flags(summary.flags), log));
        const permanent = readOnly ? [] : [...summary.flags, '\\*'];
        await session.send(
          statusResponse('*', 'OK', readOnly ? 'No permanent flags permitted.' : 'Flags permitted.', { name: 'PERMANENTFLAGS', args: flagListText(permanent) }, log),
        );
        await session.send(untagged((b) => b.number(summary.exists).atom('EXISTS'), log));
        await session.send(untagged((b) => b.number(summary.recent).atom('RECENT'), log));
        if (summary.firstUnseen !== undefined) {
          await session.send(statusResponse('*', 'OK', `First unseen.`, { name: 'UNSEEN', args: String(summary.firstUnseen) }, log));
        }
        await session.send(statusResponse('*', 'OK', 'UIDs valid', { name: 'UIDVALIDITY', args: String(summary.uidvalidity) }, log));
        await session.send(statusResponse('*', 'OK', 'Predicted next UID', { name: 'UIDNEXT', args: String(summary.uidnext) }, log));
        // Modseqs are always kept (persistently), so HIGHESTMODSEQ is always reported (RFC 7162 3.1.2.1).
        await session.send(statusResponse('*', 'OK', 'Highest', { name: 'HIGHESTMODSEQ', args: String(summary.highestModseq) }, log));
        const q = params.qresync;
        if (q && q.uidvalidity === summary.uidvalidity) {
          const gone = vanishedEarlier(await store.listExpungedSince(info.id, q.modseq), q.knownUids ?? ALL_UIDS, folder.uidList, summary.uidnext);
          if (gone) await session.send(untagged((b) => b.atom('VANISHED').list((l) => l.atom('EARLIER')).atom(gone), log));
          for (const m of await store.listChangedSince(info.id, q.modseq)) {
            const seq = folder.seqOf(m.uid);
            if (seq === 0) continue;
            await session.send(
              untagged(
                (b) =>
                  b
                    .number(seq)
                    .atom('FETCH')
                    .list((l) => l.atom('UID').number(m.uid).atom('FLAGS').flags(folder.flagsOf(m.uid, m.flags)).atom('MODSEQ').list((x) => x.number(m.modseq))),
                log,
              ),
            );
          }
        }
      } catch (err) {
        folder.close();
        throw err;
      }
      session.select(folder);
      return { text: `${name} completed.`, code: { name: readOnly ? 'READ-ONLY' : 'READ-WRITE' } };
    },
  });
}

export const selectCommand: CommandSpec = selectLike('SELECT', false);
export const examineCommand: CommandSpec = selectLike('EXAMINE', true);
