import { noArgs } from '../args.js';
import { Pop3State } from '../state.js';
import { defineCommand } from './command.js';

/**
 * What the session itself offers, after the capabilities commands declare:
 * - RESP-CODES (RFC 2449): -ERR replies may carry [IN-USE], [SYS/TEMP], [SYS/PERM].
 * - AUTH-RESP-CODE (RFC 3206): login failures carry [AUTH].
 * - PIPELINING (RFC 2449): commands sent in one go are answered strictly in order.
 * - IMPLEMENTATION (RFC 2449): the name only; no version to help anyone pick an exploit.
 */
const SESSION_CAPABILITIES = ['RESP-CODES', 'AUTH-RESP-CODE', 'PIPELINING', 'IMPLEMENTATION Darwin-Mail'] as const;

/**
 * CAPA (RFC 2449 section 5). Lists exactly what is implemented and usable on this connection: each
 * command contributes its own line, so a command file added later is announced without touching
 * this one. USER and SASL PLAIN LOGIN appear only where a password may be sent (inside TLS, or as
 * DARWIN_PLAINTEXT_AUTH allows), as Dovecot does; STLS only on a clear-text connection before
 * login. The rest of the list is the same in both states (RFC 2449: capabilities available in
 * AUTHORIZATION are announced in both).
 */
export const capa = defineCommand({
  name: 'CAPA',
  states: [Pop3State.Authorization, Pop3State.Transaction],
  args: noArgs,
  async handle(s) {
    const lines: string[] = [];
    for (const command of s.commands.values()) {
      const line = command.capability?.(s);
      if (line) lines.push(line);
    }
    await s.multiline('Capability list follows', [...lines, ...SESSION_CAPABILITIES]);
  },
});
