import { untagged } from '../protocol/compiler.js';
import { AUTHENTICATED, defineCommand, type CommandSpec } from './types.js';

/** RFC 2342: one personal namespace, no prefix, "/" as the delimiter; no shared or other users'. */
export const namespaceCommand: CommandSpec = defineCommand({
  name: 'NAMESPACE',
  states: AUTHENTICATED,
  args: [],
  async handle(session) {
    await session.send(untagged((b) => b.atom('NAMESPACE').list((l) => l.list((x) => x.string('').string('/'))).nstring(null).nstring(null), session.logResponses));
    return { text: 'NAMESPACE completed.' };
  },
});
