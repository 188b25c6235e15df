import type { MessageSummary } from '@darwin/mail-store';
import { bad } from '../errors.js';
import type { Token } from '../parser/tokenizer.js';
import { applyPartial, filterHeader, resolveSection, writeBody, writeEnvelope, type SectionSource } from '../protocol/body-structure.js';
import { ResponseBuilder, untagged, type Chunk, type CompiledResponse } from '../protocol/compiler.js';
import { FetchItemError, parseFetchItems, storeNeeds, type FetchItem } from '../protocol/fetch-items.js';
import type { SelectedFolder } from '../selected-folder.js';
import { SequenceSetError } from '../sequence-set.js';
import { vanishedEarlier } from '../vanished.js';
import { ArgumentError, parseNumber, sequenceSet, token, type ArgSpec } from './args.js';
import { defineCommand, SELECTED, type CommandSpec, type SessionApi } from './types.js';

const fetchItems: ArgSpec<FetchItem[]> = {
  name: 'fetch items',
  read(t) {
    try {
      return parseFetchItems(t);
    } catch (err) {
      if (err instanceof FetchItemError) throw new ArgumentError(err.message);
      throw err;
    }
  },
};

interface Modifiers {
  readonly changedSince?: number;
  readonly vanished: boolean;
}

/** RFC 7162: `(CHANGEDSINCE n)` and, for UID FETCH with QRESYNC, `VANISHED`. */
function readModifiers(t: Token | undefined): Modifiers {
  if (!t) return { vanished: false };
  if (t.type !== 'list') throw new ArgumentError('Expected FETCH modifiers in parentheses');
  let changedSince: number | undefined;
  let vanished = false;
  for (let i = 0; i < t.items.length; i++) {
    const m = t.items[i]!;
    const name = m.type === 'atom' ? m.value.toUpperCase() : '';
    if (name === 'CHANGEDSINCE') changedSince = parseNumber(t.items[++i], 'CHANGEDSINCE');
    else if (name === 'VANISHED') vanished = true;
    else throw new ArgumentError(`Unknown FETCH modifier ${name || '?'}`);
  }
  return { changedSince, vanished };
}

const SEEN = '\\Seen';
/** Largest header read into memory to filter HEADER.FIELDS. */
const MAX_FILTERED_HEADER = 1024 * 1024;
/**
 * Messages up to this size are read whole, many per query (one round trip per group instead of
 * one per message); larger ones stream chunk by chunk. A group holds at most PREFETCH_BUDGET bytes.
 */
const SMALL_MESSAGE = 128 * 1024;
const PREFETCH_BUDGET = 2 * 1024 * 1024;


async function readRange(session: SessionApi, blobId: string, start: number, end: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of session.engine.store.openBlob(blobId, { start, end: Math.min(end, start + MAX_FILTERED_HEADER) })) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/**
 * RFC 3501 6.4.5 (FETCH) and 6.4.8 (UID FETCH), with RFC 7162 MODSEQ, CHANGEDSINCE and VANISHED.
 * Messages are read from the store in batches and answered one at a time; bodies and byte ranges
 * of them stream from the store to the socket with backpressure, reading only the chunks that
 * hold the requested section. ENVELOPE and BODYSTRUCTURE come from what was stored at delivery.
 * BODY[...] (not PEEK), RFC822 and RFC822.TEXT set \Seen in a read-write mailbox, and the new flags
 * are part of that message's response.
 */
function fetchLike(byUid: boolean) {
  return defineCommand({
    name: byUid ? 'UID FETCH' : 'FETCH',
    states: SELECTED,
    args: [sequenceSet(), fetchItems, token('modifiers', { optional: true })],
    expunges: byUid,
    async handle(session: SessionApi, [set, requested, modifierToken]) {
      const folder = session.selected!;
      const store = session.engine.store;
      const mods = readModifiers(modifierToken);
      if (mods.vanished && (!byUid || mods.changedSince === undefined || !session.enabled.has('QRESYNC'))) {
        throw bad('VANISHED needs UID FETCH, CHANGEDSINCE and QRESYNC enabled.');
      }
      let ranges;
      try {
        ranges = folder.resolve(set, byUid);
      } catch (err) {
        if (err instanceof SequenceSetError) throw bad(err.message);
        throw err;
      }
      let items: FetchItem[] = requested;
      if (mods.changedSince !== undefined || items.some((i) => i.kind === 'MODSEQ')) session.useCondstore();
      // UID FETCH always includes UID (RFC 3501 6.4.8), first; CHANGEDSINCE implies MODSEQ (RFC 7162 3.1.4.1).
      if (byUid && !items.some((i) => i.kind === 'UID')) items = [{ kind: 'UID' }, ...items];
      if (mods.changedSince !== undefined && !items.some((i) => i.kind === 'MODSEQ')) items = [...items, { kind: 'MODSEQ' }];
      if (mods.vanished) {
        const gone = vanishedEarlier(await store.listExpungedSince(folder.id, mods.changedSince!), set, folder.uidList, folder.nextUid);
        if (gone) await session.send(untagged((b) => b.atom('VANISHED').list((l) => l.atom('EARLIER')).atom(gone), session.logResponses));
      }
      const marksSeen = !folder.readOnly && items.some((i) => i.kind === 'BODY' && !i.peek);
      // Message data before the body literals, as Dovecot orders them.
      const ordered = bodiesLast(items);
      const needs = storeNeeds(items);
      const bodies = items.some((i) => i.kind === 'BODY');
      for await (const batch of folder.batches(store, ranges, needs.structure || needs.envelope ? needs : undefined)) {
        const selected = mods.changedSince === undefined ? batch : batch.filter((m) => m.message.modseq > mods.changedSince!);
        const newFlags = new Map<number, { flags: readonly string[]; modseq: number }>();
        if (marksSeen) {
          const unseen = selected.filter((m) => !m.message.flags.includes(SEEN)).map((m) => m.message.uid);
          if (unseen.length > 0) {
            const updates = await store.updateFlags(folder.id, unseen, 'add', [SEEN]);
            folder.noteOwnChanges(updates);
            for (const u of updates) newFlags.set(u.uid, u);
          }
        }
        // Groups of messages whose small bodies are read in one query; the next group is read
        // while the current one is written.
        const groups: { from: number; to: number; ids: string[] }[] = [];
        for (let k = 0; k < selected.length; ) {
          let end = k;
          let budget = 0;
          const ids: string[] = [];
          while (end < selected.length && (end === k || budget < PREFETCH_BUDGET)) {
            const m = selected[end]!.message;
            if (bodies && m.size <= SMALL_MESSAGE) {
              ids.push(m.blobId);
              budget += m.size;
            }
            end++;
          }
          groups.push({ from: k, to: end, ids });
          k = end;
        }
        const read = (g: number) => (groups[g]!.ids.length > 0 ? store.readBlobs(groups[g]!.ids, SMALL_MESSAGE) : Promise.resolve(undefined));
        let ahead = groups.length > 0 ? read(0) : undefined;
        for (let g = 0; g < groups.length; g++) {
          const blobs = await ahead!;
          ahead = g + 1 < groups.length ? read(g + 1) : undefined;
          ahead?.catch(() => {});
          // Responses of a group go to the writer together (one call, not one await per message),
          // unless they are logged one by one.
          const pending: Chunk[] = [];
          for (let k = groups[g]!.from; k < groups[g]!.to; k++) {
            const { seq, message } = selected[k]!;
            const response = await fetchResponse(session, folder, seq, message, ordered, newFlags.get(message.uid), blobs?.get(message.blobId));
            if (response.log !== undefined) await session.send(response);
            else pending.push(...response.chunks);
          }
          if (pending.length > 0) await session.send({ chunks: pending });
        }
      }
      return { text: `${byUid ? 'UID FETCH' : 'FETCH'} completed.` };
    },
  });
}

/** Message data first, body literals last (the order Dovecot answers in). */
function bodiesLast(items: readonly FetchItem[]): FetchItem[] {
  return [...items.filter((i) => i.kind !== 'BODY'), ...items.filter((i) => i.kind === 'BODY')];
}

async function fetchResponse(
  session: SessionApi,
  folder: SelectedFolder,
  seq: number,
  m: MessageSummary,
  requested: readonly FetchItem[],
  changed: { flags: readonly string[]; modseq: number } | undefined,
  /** The whole message when it was read in advance (small messages). */
  blob?: Buffer,
): Promise<CompiledResponse> {
  let items = requested;
  if (changed) {
    // Flags changed by this FETCH are reported even when not asked for (RFC 3501 6.4.5), before any body.
    const at = requested[0]?.kind === 'UID' ? 1 : 0;
    const extra: FetchItem[] = [];
    if (!requested.some((i) => i.kind === 'FLAGS')) extra.push({ kind: 'FLAGS' });
    if (session.condstore && !requested.some((i) => i.kind === 'MODSEQ')) extra.push({ kind: 'MODSEQ' });
    items = bodiesLast([...requested.slice(0, at), ...extra, ...requested.slice(at)]);
  }
  const flags = changed?.flags ?? m.flags;
  const modseq = changed?.modseq ?? m.modseq;
  const store = session.engine.store;
  // Sections are resolved (and filtered headers read) before the response starts.
  const sources = new Map<FetchItem, SectionSource | Buffer>();
  for (const item of items) {
    if (item.kind !== 'BODY') continue;
    const src = item.section.path.length === 0 && !item.section.text ? ({ type: 'range', start: 0, end: m.size } as const) : resolveSection(m.structure!, m.size, item.section);
    if (src.type === 'fields') sources.set(item, filterHeader(blob ? blob.subarray(src.start, src.end) : await readRange(session, m.blobId, src.start, src.end), src.fields, src.not));
    else sources.set(item, src);
  }
  return new ResponseBuilder(session.logResponses)
    .raw('* ')
    .number(seq)
    .atom('FETCH')
    .list((l) => {
      for (const item of items) {
        switch (item.kind) {
          case 'UID':
            l.atom('UID').number(m.uid);
            break;
          case 'FLAGS':
            l.atom('FLAGS').flags(folder.flagsOf(m.uid, flags));
            break;
          case 'RFC822.SIZE':
            l.atom('RFC822.SIZE').number(m.size);
            break;
          case 'INTERNALDATE':
            l.atom('INTERNALDATE').dateTime(m.internalDate);
            break;
          case 'MODSEQ':
            l.atom('MODSEQ').list((x) => x.number(modseq));
            break;
          case 'ENVELOPE':
            // Rendered at delivery (or from the parsed envelope for rows that lack it).
            l.atom('ENVELOPE');
            if (m.envelopeImap) l.token(m.envelopeImap);
            else writeEnvelope(l, m.envelope!);
            break;
          case 'BODYSTRUCTURE':
            l.atom('BODYSTRUCTURE');
            writeBody(l, m.structure!.root, true);
            break;
          case 'BODY.STRUCTURE':
            l.atom('BODY');
            writeBody(l, m.structure!.root, false);
            break;
          case 'BODY': {
            const label = item.partial ? `${item.label}<${item.partial.offset}>` : item.label;
            const src = sources.get(item)!;
            if (Buffer.isBuffer(src)) {
              const { start, end } = applyPartial(src.length, item.partial);
              l.token(label).literalBytes(src.subarray(start, end));
              break;
            }
            if (src.type === 'missing') {
              // Like Dovecot: an empty literal, not NIL.
              l.token(label).literalBytes(Buffer.alloc(0));
              break;
            }
            if (src.type !== 'range') break;
            const { start, end } = applyPartial(src.end - src.start, item.partial);
            const from = src.start + start;
            const to = src.start + end;
            if (blob && blob.length === m.size) {
              l.token(label).literalBytes(blob.subarray(from, to));
              break;
            }
            // The range is always given: the stream then knows its last chunk and needs no query to find the end.
            l.token(label).literalStream(to - from, () => store.openBlob(m.blobId, { start: from, end: to }));
            break;
          }
        }
      }
    })
    .end();
}

export const fetchCommand: CommandSpec = fetchLike(false);
/** UID FETCH is its own registry entry, built from the same module. */
export const uidFetchCommand: CommandSpec = fetchLike(true);
