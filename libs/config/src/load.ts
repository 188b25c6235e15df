import type { Kind } from './kinds.js';
import { schema, type Schema } from './schema.js';

type ValueOf<S> = S extends { kind: Kind<infer T>; default: string } ? T : S extends { kind: Kind<infer T> } ? T | undefined : never;

/** The validated configuration; one typed field per entry of the schema. */
export type Config = { readonly [K in keyof Schema]: ValueOf<Schema[K]> };

export interface ConfigProblem {
  readonly env: string;
  readonly expected: string;
  readonly got: string;
}

/** Thrown when any setting is malformed; names every bad variable and the form it expects. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      'Invalid configuration:\n' +
        problems.map((p) => `  ${p.env}: expected ${p.expected}, got ${p.got}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/**
 * Reads every setting from the environment. Empty strings count as unset, so `FOO=` in a shell
 * falls back to the default instead of failing. Secrets are never echoed in the error.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [key, s] of Object.entries(schema) as [keyof Schema, Schema[keyof Schema]][]) {
    const given = env[s.env];
    const raw = given !== undefined && given !== '' ? given : s.default;
    if (raw === undefined) {
      out[key] = undefined;
      continue;
    }
    const value = (s.kind as Kind<unknown>).parse(raw);
    if (value === undefined) {
      const shown = 'secret' in s && s.secret ? '(hidden)' : JSON.stringify(raw);
      problems.push({ env: s.env, expected: s.kind.form, got: shown });
    } else {
      out[key] = value;
    }
  }
  // Settings that only make sense together.
  if ((out.smarthostUser === undefined) !== (out.smarthostPassword === undefined)) {
    problems.push({ env: 'DARWIN_SMARTHOST_USER', expected: 'to be set together with DARWIN_SMARTHOST_PASSWORD', got: 'only one of them' });
  } else if (out.smarthostUser !== undefined && out.smarthost === undefined) {
    problems.push({ env: 'DARWIN_SMARTHOST', expected: 'a host:port when DARWIN_SMARTHOST_USER is set', got: 'unset' });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(out) as Config;
}

/** Loads the configuration or ends the process with the problems listed (exit code 78, EX_CONFIG). */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + '\n');
      process.exit(78);
    }
    throw err;
  }
}
