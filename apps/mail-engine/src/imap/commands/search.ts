import type { SearchKey } from '@darwin/mail-store';
import { bad } from '../errors.js';
import { untagged } from '../protocol/compiler.js';
import { parseSearch, SearchSyntaxError, type ParsedKey, type SearchProgram } from '../protocol/search-keys.js';
import type { SelectedFolder } from '../selected-folder.js';
import { formatNumbers, SequenceSetError } from '../sequence-set.js';
import { ArgumentError, rest, type ArgSpec } from './args.js';
import { defineCommand, SELECTED, type CommandSpec, type SessionApi } from './types.js';

const program: ArgSpec<SearchProgram> = {
  ...rest('search criteria'),
  read(t) {
    try {
      return parseSearch(t.type === 'list' ? t.items : [t]);
    } catch (err) {
      if (err instanceof SearchSyntaxError) {
        if (err.badCharset) throw Object.assign(new ArgumentError(err.message), { badCharset: true });
        throw new ArgumentError(err.message);
      }
      throw err;
    }
  },
};

/** Sequence sets (message numbers or UIDs) become UID ranges of this session's view. */
function resolveKey(k: ParsedKey, folder: SelectedFolder): SearchKey {
  switch (k.type) {
    case 'set': {
      const ranges = folder.resolve(k.set, k.byUid, true);
      return { type: 'uid', ranges: folder.uidRanges(ranges) };
    }
    case 'recent': {
      const ranges = folder.recentRanges;
      return ranges.length > 0 ? { type: 'uid', ranges } : { type: 'none' };
    }
    case 'not':
      return { type: 'not', key: resolveKey(k.key, folder) };
    case 'or':
      return { type: 'or', a: resolveKey(k.a, folder), b: resolveKey(k.b, folder) };
    case 'and':
      return { type: 'and', keys: k.keys.map((x) => resolveKey(x, folder)) };
    default:
      return k;
  }
}

/**
 * RFC 3501 6.4.4 SEARCH and UID SEARCH, evaluated by the store in SQL (BODY/TEXT through the
 * trigram index), with CHARSET UTF-8, RFC 4731 ESEARCH (RETURN MIN MAX COUNT ALL) and RFC 7162
 * MODSEQ. Only messages this session knows of are answered (new ones come with the next EXISTS).
 */
function searchLike(byUid: boolean) {
  const name = byUid ? 'UID SEARCH' : 'SEARCH';
  return defineCommand({
    name,
    states: SELECTED,
    args: [program],
    expunges: byUid,
    async handle(session: SessionApi, [prog], tag) {
      const folder = session.selected!;
      let key: SearchKey;
      try {
        key = resolveKey(prog.key, folder);
      } catch (err) {
        if (err instanceof SequenceSetError) throw bad(err.message);
        throw err;
      }
      if (prog.usesModseq) session.useCondstore();
      const uids = folder.uidList;
      const maxUid = uids[uids.length - 1] ?? 0;
      const hits = maxUid === 0 ? [] : await session.engine.store.search(folder.id, { type: 'and', keys: [{ type: 'uid', ranges: [{ from: 1, to: maxUid }] }, key] });
      const found: { n: number; modseq: number }[] = [];
      for (const h of hits) {
        const seq = folder.seqOf(h.uid);
        if (seq > 0) found.push({ n: byUid ? h.uid : seq, modseq: h.modseq });
      }
      const numbers = found.map((f) => f.n).sort((a, b) => a - b);
      const highest = prog.usesModseq && found.length > 0 ? Math.max(...found.map((f) => f.modseq)) : undefined;
      const log = session.logResponses;
      if (prog.returns) {
        const r = new Set(prog.returns);
        await session.send(
          untagged((b) => {
            b.atom('ESEARCH').list((l) => l.atom('TAG').string(tag));
            if (byUid) b.atom('UID');
            if (r.has('MIN') && numbers.length > 0) b.atom('MIN').number(numbers[0]!);
            if (r.has('MAX') && numbers.length > 0) b.atom('MAX').number(numbers[numbers.length - 1]!);
            if (r.has('ALL') && numbers.length > 0) b.atom('ALL').atom(formatNumbers(numbers));
            if (r.has('COUNT')) b.atom('COUNT').number(numbers.length);
            if (highest !== undefined) b.atom('MODSEQ').number(highest);
          }, log),
        );
      } else {
        await session.send(
          untagged((b) => {
            b.atom('SEARCH');
            for (const n of numbers) b.number(n);
            if (highest !== undefined) b.list((l) => l.atom('MODSEQ').number(highest));
          }, log),
        );
      }
      return { text: `${name} completed.` };
    },
  });
}

export const searchCommand: CommandSpec = searchLike(false);
export const uidSearchCommand: CommandSpec = searchLike(true);
