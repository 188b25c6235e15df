import { statusResponse } from '../protocol/compiler.js';
import { ANY_STATE, defineCommand } from './types.js';

/** RFC 3501 6.1.3: untagged BYE, tagged OK, then the server closes the connection. */
export const logoutCommand = defineCommand({
  name: 'LOGOUT',
  states: ANY_STATE,
  args: [],
  notify: 'none',
  async handle(session) {
    await session.send(statusResponse('*', 'BYE', 'Darwin Mail logging out.', undefined, session.logResponses));
    session.logout();
    return { text: 'LOGOUT completed.' };
  },
});
