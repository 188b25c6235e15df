import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const src = (lib: string) => fileURLToPath(new URL(`./libs/${lib}/src/index.ts`, import.meta.url));

// Tests import libs from source, so `npm test` checks the code as written, not a stale build.
const alias = [
  // One graphql instance for our code and for Nest/Apollo (which load the CommonJS build); two
  // copies break instanceof checks inside graphql-js.
  { find: /^graphql$/, replacement: fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url)) },
  ...['config', 'core', 'db', 'logger', 'mail-store'].map((lib) => ({ find: new RegExp(`^@darwin/${lib}$`), replacement: src(lib) })),
];

// SWC keeps decorator metadata (NestJS DI, TypeORM entities), which esbuild drops.
const plugins = [swc.vite({ tsconfigFile: false, jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2023' } })];

export default defineConfig({
  plugins,
  resolve: { alias },
  test: {
    globalSetup: ['./tools/test-runner/global-setup.ts'],
    setupFiles: ['./tools/test-runner/setup-env.ts'],
    reporters: ['default'],
    projects: [
      {
        plugins,
        resolve: { alias },
        test: {
          setupFiles: ['./tools/test-runner/setup-env.ts'],
          name: 'unit',
          include: ['libs/*/src/**/*.spec.ts', 'apps/*/src/**/*.spec.ts', 'tools/*/src/**/*.spec.ts'],
          exclude: ['**/*.int.spec.ts', '**/node_modules/**', '**/dist/**'],
        },
      },
      {
        plugins,
        resolve: { alias },
        test: {
          setupFiles: ['./tools/test-runner/setup-env.ts'],
          name: 'integration',
          include: ['libs/*/src/**/*.int.spec.ts', 'apps/*/src/**/*.int.spec.ts', 'apps/*/test/**/*.int.spec.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins,
        resolve: { alias },
        test: {
          setupFiles: ['./tools/test-runner/setup-env.ts'],
          name: 'e2e',
          include: ['e2e/**/*.e2e.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          // The e2e suites each start whole stacks; running them one at a time keeps a 2-core machine responsive.
          fileParallelism: false,
        },
      },
    ],
  },
});
