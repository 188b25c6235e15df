import type { Kind } from './kinds.js';

/** One environment variable: its name, the kind of value, its default and what it is for. */
export interface Setting<T> {
  readonly env: string;
  readonly kind: Kind<T>;
  /** Raw default, parsed like a value from the environment; absent means optional (undefined). */
  readonly default?: string;
  readonly doc: string;
  /** Values that must never be logged or printed back. */
  readonly secret?: boolean;
}

export type Optional<T> = Setting<T> & { readonly default?: undefined };

export function setting<T>(env: string, kind: Kind<T>, doc: string, defaultValue: string, secret?: boolean): Setting<T> & { default: string } {
  return { env, kind, doc, default: defaultValue, secret };
}

export function optional<T>(env: string, kind: Kind<T>, doc: string, secret?: boolean): Optional<T> {
  return { env, kind, doc, secret };
}
