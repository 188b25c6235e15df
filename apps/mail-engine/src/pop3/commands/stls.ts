import { noArgs } from '../args.js';
import { Pop3State } from '../state.js';
import { defineCommand } from './command.js';

/**
 * STLS (RFC 2595 section 4): TLS on the plain POP3 port, before login only. The session is
 * upgraded in place (Pop3Session.startTls): clear text the client pipelined after STLS is thrown
 * away (CVE-2011-0411), no new greeting is sent, and the client starts over with CAPA, which no
 * longer lists STLS but now lists USER and SASL wherever DARWIN_PLAINTEXT_AUTH kept them off.
 * Offered only on a connection that is not yet encrypted (not on POP3S, not twice).
 */
export const stls = defineCommand({
  name: 'STLS',
  states: [Pop3State.Authorization],
  args: noArgs,
  capability: (s) => (!s.secure && s.state === Pop3State.Authorization ? 'STLS' : undefined),
  async handle(s) {
    if (s.secure) return s.err('TLS is already active.');
    await s.startTls('Begin TLS negotiation');
  },
});
