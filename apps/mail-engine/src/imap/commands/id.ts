import { untagged } from '../protocol/compiler.js';
import { ArgumentError, token } from './args.js';
import { ANY_STATE, defineCommand, type CommandSpec } from './types.js';

/** RFC 2971 ID: logs what the client says about itself (bounded) and names the server. */
export const idCommand: CommandSpec = defineCommand({
  name: 'ID',
  states: ANY_STATE,
  args: [token('parameters')],
  async handle(session, [params]) {
    if (params.type === 'list') {
      if (params.items.length > 60 || params.items.length % 2 !== 0) throw new ArgumentError('ID takes up to 30 field/value pairs');
      const fields: Record<string, string> = {};
      for (let i = 0; i < params.items.length; i += 2) {
        const k = params.items[i]!;
        const v = params.items[i + 1]!;
        if (k.type !== 'string') throw new ArgumentError('ID field names are strings');
        fields[k.value.slice(0, 30).toLowerCase()] = v.type === 'string' ? v.value.slice(0, 128) : 'NIL';
      }
      session.log.info('client id', { client: fields });
    } else if (params.type !== 'nil') {
      throw new ArgumentError('Expected a parenthesised list or NIL');
    }
    await session.send(untagged((b) => b.atom('ID').list((l) => l.string('name').string('Darwin Mail').string('vendor').string('Darwin Mail')), session.logResponses));
    return { text: 'ID completed.' };
  },
});
