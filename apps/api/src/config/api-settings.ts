import { duration, integer, oneOf, type Kind } from '@darwin/config';

/**
 * Settings only the API reads, not yet in libs/config. They are read from the environment here, in
 * one place, validated like libs/config does (a bad value names the variable and the form it
 * expects), so they can move into the shared schema unchanged. (The DNS resolvers verifyDomain
 * uses are libs/config's DARWIN_DNS_SERVERS and DARWIN_DNS_TIMEOUT, shared with the engine.)
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
  /**
   * DARWIN_API_TRUST_PROXY: proxies whose X-Forwarded-For is believed for the client IP (audit rows,
   * login throttling), in Express's `trust proxy` form: `loopback`, addresses or CIDRs,
   * comma-separated; empty trusts nobody. Set it when the dashboard or a load balancer sits in front.
   */
  readonly trustProxy: string;
}

const proxyList: Kind<string> = {
  form: 'empty, or comma-separated loopback, linklocal, uniquelocal, IP addresses or CIDRs',
  parse: (raw) => {
    const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
    const ok = items.every((s) => ['loopback', 'linklocal', 'uniquelocal'].includes(s) || /^[0-9a-f.:]+(\/\d{1,3})?$/i.test(s));
    return ok ? items.join(',') : undefined;
  },
};

const DEFINITIONS = {
  refreshTokenTtlMs: ['DARWIN_REFRESH_TOKEN_TTL', duration, '30d'],
  operatorTotp: ['DARWIN_OPERATOR_TOTP', oneOf(['optional', 'required'] as const), 'optional'],
  maxQueryDepth: ['DARWIN_API_MAX_QUERY_DEPTH', integer(2, 100), '10'],
  maxQueryCost: ['DARWIN_API_MAX_QUERY_COST', integer(10, 10_000_000), '20000'],
  subscriptionRecheckMs: ['DARWIN_API_SUBSCRIPTION_RECHECK', duration, '30s'],
  trustProxy: ['DARWIN_API_TRUST_PROXY', proxyList, ''],
} as const satisfies { [K in keyof ApiSettings]: readonly [string, Kind<unknown>, string] };

export class ApiSettingsError extends Error {}

/** Reads and validates every API setting; throws one error listing every bad variable. */
export function loadApiSettings(env: NodeJS.ProcessEnv = process.env): ApiSettings {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, [name, kind, fallback]] of Object.entries(DEFINITIONS)) {
    const raw = env[name] ?? fallback;
    const value = (kind as Kind<unknown>).parse(raw);
    if (value === undefined) problems.push(`${name}=${JSON.stringify(raw)}: expected ${kind.form}`);
    else out[key] = value;
  }
  if (problems.length > 0) throw new ApiSettingsError(`Invalid API settings:\n${problems.join('\n')}`);
  return out as unknown as ApiSettings;
}

/** Every variable this file reads, for the report and documentation. */
export const API_SETTING_NAMES = Object.values(DEFINITIONS).map(([name]) => name);
