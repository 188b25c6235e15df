import { bad } from '../errors.js';
import { sendFolderUpdates } from '../notifications.js';
import { continuation } from '../protocol/compiler.js';
import { AUTHENTICATED, defineCommand, type CommandSpec } from './types.js';

/**
 * Changes notified within this window are pushed together: a burst of deliveries gives one
 * EXISTS, and a single delivery is still pushed in a few milliseconds.
 */
export const IDLE_COALESCE_MS = 5;

/**
 * RFC 2177 IDLE. While idling, every change notification of the selected folder (from this or any
 * other engine process, through LISTEN/NOTIFY) schedules one coalesced push of EXISTS, FETCH
 * FLAGS and EXPUNGE (VANISHED with QRESYNC). The command ends with the client's DONE; the idle
 * timeout still applies (clients re-IDLE every 29 minutes).
 */
export const idleCommand: CommandSpec = defineCommand({
  name: 'IDLE',
  states: AUTHENTICATED,
  args: [],
  async handle(session) {
    await session.send(continuation('idling', session.logResponses));
    const folder = session.selected;
    let timer: NodeJS.Timeout | undefined;
    let pushing: Promise<void> = Promise.resolve();
    let failed: unknown;
    const push = () => {
      timer = undefined;
      pushing = pushing
        .then(() => sendFolderUpdates(session, 'pending', true))
        .then(() => session.flush())
        .catch((err: unknown) => {
          failed ??= err;
        });
    };
    session.setIdling(true);
    try {
      if (folder) {
        folder.onChange = () => {
          timer ??= setTimeout(push, IDLE_COALESCE_MS);
        };
        // Whatever happened before IDLE started is reported at once.
        pushing = sendFolderUpdates(session, 'poll', true).then(() => session.flush());
      }
      const line = await session.readLine();
      clearTimeout(timer);
      if (folder) folder.onChange = undefined;
      await pushing;
      if (failed) throw failed;
      if (line === undefined) return { text: 'IDLE terminated.' };
      if (line.toString('latin1').trim().toUpperCase() !== 'DONE') throw bad('Expected DONE.');
      return { text: 'IDLE terminated.' };
    } finally {
      clearTimeout(timer);
      if (folder) folder.onChange = undefined;
      session.setIdling(false);
    }
  },
});
