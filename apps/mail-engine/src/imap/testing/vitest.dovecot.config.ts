/**
 * Runs the Dovecot comparison (not part of `npm test`; needs ../shared/lab/anchor-up.sh):
 *
 *   DATABASE_URL=postgres://... npx vitest run -c apps/mail-engine/src/imap/testing/vitest.dovecot.config.ts
 *
 * Same aliases, plugins and database setup as the repository's test projects.
 */
import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../../../../vitest.config.js';

export default mergeConfig(
  { ...base, test: { ...base.test, projects: undefined } },
  defineConfig({
    test: {
      include: ['apps/mail-engine/src/imap/testing/*.dovecot.ts'],
      setupFiles: ['./tools/test-runner/setup-env.ts'],
      testTimeout: 120_000,
      hookTimeout: 120_000,
    },
  }),
);
