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
  /** DARWIN_IMPERSONATION_TTL: lifetime of an impersonation token (`impersonateTenant`), never more than an hour. */
  readonly impersonationTtlMs: number;
  /**
   * DARWIN_API_STATS_INTERVAL: how often the API rewrites today's platform and tenant snapshot
   * (platform_stats_daily, tenant_stats_daily), and how old today's row may be before
   * `platformStats` refreshes it; 0 turns the timer off.
   */
  readonly statsIntervalMs: number;
}

/** An impersonation never lasts longer than this, whatever the settings say. */
export const MAX_IMPERSONATION_TTL_MS = 3_600_000;

export function apiSettingsFrom(config: Config): ApiSettings {
  return {
    refreshTokenTtlMs: config.refreshTokenTtl,
    operatorTotp: config.operatorTotp,
    maxQueryDepth: config.apiMaxQueryDepth,
    maxQueryCost: config.apiMaxQueryCost,
    subscriptionRecheckMs: config.apiSubscriptionRecheck,
    trustProxy: config.apiTrustProxy,
    impersonationTtlMs: Math.min(config.impersonationTtl, MAX_IMPERSONATION_TTL_MS),
    statsIntervalMs: config.apiStatsInterval,
  };
}

/** Reads the API's settings from an environment (throws ConfigError naming every bad variable). */
export function loadApiSettings(env: NodeJS.ProcessEnv = process.env): ApiSettings {
  return apiSettingsFrom(loadConfig(env));
}
