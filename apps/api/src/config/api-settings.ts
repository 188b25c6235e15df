import { loadConfig, type Config } from '@darwin/config';

/**
 * The settings only the API reads, as the API uses them. They live in libs/config's schema like
 * every other setting (so .env.example lists them and a bad value names the variable); this is
 * the API's view of them.
 */
export interface ApiSettings {
  /** DARWIN_REFRESH_TOKEN_TTL: lifetime of a refresh token (a login "session"). */
  readonly refreshTokenTtlMs: number;
  /** DARWIN_OPERATOR_TOTP: `optional` (operators may enrol) or `required` (operators must enrol before doing anything). */
  readonly operatorTotp: 'optional' | 'required';
  /** DARWIN_API_MAX_QUERY_DEPTH: deepest GraphQL selection accepted (introspection excluded). */
  readonly maxQueryDepth: number;
  /** DARWIN_API_MAX_QUERY_COST: largest estimated number of fields a GraphQL request may resolve. */
  readonly maxQueryCost: number;
  /** DARWIN_API_SUBSCRIPTION_RECHECK: how often a live subscription's credential is checked again. */
  readonly subscriptionRecheckMs: number;
  /** DARWIN_API_TRUST_PROXY: proxies whose X-Forwarded-For is believed, in Express's `trust proxy` form; empty trusts nobody. */
  readonly trustProxy: string;
}

export function apiSettingsFrom(config: Config): ApiSettings {
  return {
    refreshTokenTtlMs: config.refreshTokenTtl,
    operatorTotp: config.operatorTotp,
    maxQueryDepth: config.apiMaxQueryDepth,
    maxQueryCost: config.apiMaxQueryCost,
    subscriptionRecheckMs: config.apiSubscriptionRecheck,
    trustProxy: config.apiTrustProxy,
  };
}

/** Reads the API's settings from an environment (throws ConfigError naming every bad variable). */
export function loadApiSettings(env: NodeJS.ProcessEnv = process.env): ApiSettings {
  return apiSettingsFrom(loadConfig(env));
}
