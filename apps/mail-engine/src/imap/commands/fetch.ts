import type { MessageSummary } from '@darwin/mail-store';
import { bad } from '../errors.js';
import { ResponseBuilder } from '../protocol/compiler.js';
import { FetchItemError, parseFetchItems, type FetchItem } from '../protocol/fetch-items.js';
import { SequenceSetError } from '../sequence-set.js';
import { ArgumentError, sequenceSet, type ArgSpec } from './args.js';
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

const SEEN = '\\Seen';

/**
 * RFC 3501 6.4.5 (FETCH) and 6.4.8 (UID FETCH). Messages are read from the store in batches and
 * answered one at a time; a body is streamed from the store to the socket with backpressure, so a
 * FETCH of any size holds one batch of summaries and one body chunk in memory. BODY[] and RFC822
 * set \Seen in a read-write mailbox, and the new flags are part of that message's response.
 */
function fetchLike(byUid: boolean) {
  return defineCommand({
    name: byUid ? 'UID FETCH' : 'FETCH',
    states: SELECTED,
    args: [sequenceSet(), fetchItems],
    async handle(session: SessionApi, [set, requested]) {
      const folder = session.selected!;
      const store = session.engine.store;
      let ranges;
      try {
        ranges = folder.resolve(set, byUid);
      } catch (err) {
        if (err instanceof SequenceSetError) throw bad(err.message);
        throw err;
      }
      // UID FETCH always includes UID (RFC 3501 6.4.8), first.
      const items: FetchItem[] = byUid && !requested.some((i) => i.kind === 'UID') ? [{ kind: 'UID' }, ...requested] : requested;
      const marksSeen = !folder.readOnly && items.some((i) => i.kind === 'BODY' && !i.peek);
      for await (const batch of folder.batches(store, ranges)) {
        const newFlags = new Map<number, readonly string[]>();
        if (marksSeen) {
          const unseen = batch.filter((m) => !m.message.flags.includes(SEEN)).map((m) => m.message.uid);
          if (unseen.length > 0) {
            const updates = await store.updateFlags(folder.id, unseen, 'add', [SEEN]);
            folder.noteOwnChanges(updates);
            for (const u of updates) newFlags.set(u.uid, u.flags);
          }
        }
        for (const { seq, message } of batch) {
          const flags = newFlags.get(message.uid);
          await session.send(fetchResponse(session, seq, message, items, flags));
        }
      }
      return { text: `${byUid ? 'UID FETCH' : 'FETCH'} completed.` };
    },
  });
}

function fetchResponse(session: SessionApi, seq: number, m: MessageSummary, requested: readonly FetchItem[], changedFlags: readonly string[] | undefined) {
  let items = requested;
  if (changedFlags && !requested.some((i) => i.kind === 'FLAGS')) {
    // Flags changed by this FETCH are reported even when not asked for (RFC 3501 6.4.5), before any body.
    const at = requested[0]?.kind === 'UID' ? 1 : 0;
    items = [...requested.slice(0, at), { kind: 'FLAGS' }, ...requested.slice(at)];
  }
  const flags = changedFlags ?? m.flags;
  const store = session.engine.store;
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
            l.atom('FLAGS').flags(flags);
            break;
          case 'RFC822.SIZE':
            l.atom('RFC822.SIZE').number(m.size);
            break;
          case 'INTERNALDATE':
            l.atom('INTERNALDATE').dateTime(m.internalDate);
            break;
          case 'BODY':
            l.token(item.label).literalStream(m.size, () => store.openBlob(m.blobId));
            break;
        }
      }
    })
    .end();
}

export const fetchCommand: CommandSpec = fetchLike(false);
/** UID FETCH is its own registry entry, built from the same module. */
export const uidFetchCommand: CommandSpec = fetchLike(true);
