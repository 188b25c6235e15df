import { untagged } from '../protocol/compiler.js';
import { rest } from './args.js';
import { defineCommand, type CommandSpec } from './types.js';

/** What ENABLE can turn on here (RFC 5161); anything else is ignored, as the RFC asks. */
const ENABLEABLE = new Set(['CONDSTORE', 'QRESYNC', 'UTF8=ACCEPT']);

/**
 * RFC 5161 ENABLE, in the authenticated state only. QRESYNC implies CONDSTORE (RFC 7162 3.2.3).
 * `* ENABLED` lists what this command newly turned on.
 */
export const enableCommand: CommandSpec = defineCommand({
  name: 'ENABLE',
  states: ['authenticated'],
  args: [rest('capabilities')],
  notify: 'none',
  async handle(session, [tokens]) {
    const done: string[] = [];
    for (const t of tokens) {
      const name = t.type === 'atom' ? t.value.toUpperCase() : '';
      if (!ENABLEABLE.has(name)) continue;
      if (session.enable(name)) done.push(name);
      if (name === 'QRESYNC') session.enable('CONDSTORE');
    }
    await session.send(
      untagged((b) => {
        b.atom('ENABLED');
        for (const d of done) b.atom(d);
      }, session.logResponses),
    );
    return { text: 'ENABLE completed.' };
  },
});
