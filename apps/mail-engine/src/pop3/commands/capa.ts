import { noArgs } from '../args.js';
import { Pop3State } from '../state.js';
import { defineCommand } from './command.js';

/**
 * What the session itself offers, beside the capabilities commands declare:
 * - RESP-CODES (RFC 2449): -ERR replies may carry [IN-USE], [SYS/TEMP] ...
 * - AUTH-RESP-CODE (RFC 3206): login failures carry [AUTH], server trouble [SYS/TEMP].
 * - PIPELINING (RFC 2449): commands sent in one go are answered strictly in order.
 */
const SESSION_CAPABILITIES = ['RESP-CODES', 'AUTH-RESP-CODE', 'PIPELINING'] as const;

/**
 * CAPA (RFC 2449 section 5). Lists exactly what is implemented: each command contributes its own
 * line (USER only where a plaintext password is allowed), so a command file added later is
 * announced without touching this one. Same list in both states, as RFC 2449 requires for
 * capabilities available in AUTHORIZATION.
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
