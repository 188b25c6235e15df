import { bad, no } from '../errors.js';
import { atom } from './args.js';
import { AUTHENTICATED, defineCommand, NOT_AUTHENTICATED, type CommandSpec } from './types.js';

/**
 * RFC 3501 6.2.1 STARTTLS: the TLS handshake starts after the tagged OK; whatever the client
 * pipelined after the command is discarded (it was sent in clear text), and CAPABILITY changes
 * (no STARTTLS, passwords allowed).
 */
export const starttlsCommand: CommandSpec = defineCommand({
  name: 'STARTTLS',
  states: NOT_AUTHENTICATED,
  args: [],
  notify: 'none',
  async handle(session) {
    if (session.secure) throw bad('TLS is already active.');
    session.upgradeAfterReply('starttls');
    return { text: 'Begin TLS negotiation now.' };
  },
});

/** RFC 4978 COMPRESS=DEFLATE: compression starts after the tagged OK. */
export const compressCommand: CommandSpec = defineCommand({
  name: 'COMPRESS',
  states: AUTHENTICATED,
  args: [atom('mechanism')],
  notify: 'none',
  async handle(session, [mechanism]) {
    if (session.compressed) throw no('Compression is already active.', 'COMPRESSIONACTIVE');
    if (mechanism !== 'DEFLATE') throw bad(`Unknown compression mechanism ${mechanism}.`);
    session.upgradeAfterReply('compress');
    return { text: 'DEFLATE active.' };
  },
});
