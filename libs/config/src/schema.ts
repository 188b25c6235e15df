import { boolean, bytes, duration, email, hostname, httpUrl, integer, ipAddress, oneOf, password, path, port, portOrZero, postgresUrl, proxyList, secret, type Kind } from './kinds.js';
import { optional, setting } from './setting.js';

/** DNS servers as `ip` or `ip:port` (IPv6 as `[ip]:port`), comma-separated. */
const dnsServerList: Kind<string[]> = {
  form: 'comma-separated DNS server addresses, each ip or ip:port (e.g. 127.0.0.1:5353,[::1]:53)',
  parse: (raw) => {
    const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
    const ok = list.length > 0 && list.every((s) => /^(?:\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?|\[[0-9a-f:.]+\](?::\d{1,5})?|[0-9a-f:]+:[0-9a-f:]*)$/i.test(s));
    return ok ? list : undefined;
  },
};

// Outbound queue: the kinds of its settings
/** Where to connect instead of the recipient domain's MX hosts; brackets hold IPv6 literals. */
export interface NextHop {
  readonly host: string;
  readonly port: number;
}

const hostPart = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\d{1,3}(?:\.\d{1,3}){3})$/i;

function parseNextHop(raw: string): NextHop | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(raw.trim());
  if (!m) return undefined;
  const host = (m[1] ?? m[2]!).toLowerCase();
  const port = m[3] === undefined ? 25 : Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  if (!hostPart.test(host) && !(m[1] !== undefined && /^[0-9a-f:.]+$/i.test(host) && host.includes(':'))) return undefined;
  return { host, port };
}

const nextHop: Kind<NextHop> = {
  form: 'host:port or [ip]:port (port default 25; e.g. smtp.relay.example:587, [10.0.0.1]:25)',
  parse: parseNextHop,
};

const transportMap: Kind<Readonly<Record<string, NextHop>>> = {
  form: 'comma-separated domain=host:port entries (e.g. example.com=127.0.0.1:2526,other.test=[10.0.0.1]:25)',
  parse: (raw) => {
    const out: Record<string, NextHop> = {};
    for (const entry of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
      const eq = entry.indexOf('=');
      if (eq <= 0) return undefined;
      const domain = entry.slice(0, eq).trim().toLowerCase().replace(/\.$/, '');
      const hop = parseNextHop(entry.slice(eq + 1));
      if (!hop || !hostPart.test(domain) || domain in out) return undefined;
      out[domain] = hop;
    }
    return Object.keys(out).length > 0 ? Object.freeze(out) : undefined;
  },
};

const smarthostUser: Kind<string> = {
  form: 'a user name of 1 to 255 printable characters',
  parse: (raw) => (/^[\x21-\x7e][\x20-\x7e]{0,254}$/.test(raw) ? raw : undefined),
};

const smarthostPassword: Kind<string> = {
  form: 'a password of 1 to 255 characters',
  parse: (raw) => (raw.length >= 1 && raw.length <= 255 && !/[\r\n\0]/.test(raw) ? raw : undefined),
};

const durationList: Kind<readonly number[]> = {
  form: 'comma-separated durations with a unit (e.g. 5m,10m,20m,40m,80m,160m,4h)',
  parse: (raw) => {
    const list = raw.split(',').map((s) => duration.parse(s.trim()));
    return list.length > 0 && list.every((d) => d !== undefined && d > 0) ? Object.freeze(list as number[]) : undefined;
  },
};

/**
 * Every setting of Darwin Mail, in one place. `.env.example` is generated from this table
 * (`npm run env:example`) and a test checks that the committed file lists every entry.
 */
export const schema = {
  // Database
  databaseUrl: optional('DATABASE_URL', postgresUrl, 'PostgreSQL server to use; when unset, `npm start` runs an embedded PostgreSQL under DARWIN_DATA_DIR.', true),
  dataDir: setting('DARWIN_DATA_DIR', path, 'Folder for local state: the embedded PostgreSQL cluster, generated secrets and certificates.', './.data'),
  embeddedPgPort: setting('DARWIN_EMBEDDED_PG_PORT', portOrZero, 'Port of the embedded PostgreSQL (loopback only); 0 picks a free port.', '54329'),
  dbPoolSize: setting('DARWIN_DB_POOL_SIZE', integer(1, 200), 'Connections each process keeps open to PostgreSQL.', '10'),

  // First start
  adminEmail: setting('DARWIN_ADMIN_EMAIL', email, 'Platform admin created on first start.', 'admin@localhost'),
  adminPassword: optional('DARWIN_ADMIN_PASSWORD', password, 'Password of that admin; when unset, one is generated and printed once.', true),

  // Identity and network
  hostname: setting('DARWIN_HOSTNAME', hostname, 'Host name used in SMTP greetings, Received headers and IMAP/POP3 banners.', 'localhost'),
  bindAddress: setting('DARWIN_BIND_ADDRESS', ipAddress, 'Address every server listens on.', '127.0.0.1'),
  smtpPort: setting('DARWIN_SMTP_PORT', portOrZero, 'SMTP MX port (production: 25).', '2525'),
  submissionPort: setting('DARWIN_SUBMISSION_PORT', portOrZero, 'SMTP submission port with STARTTLS (production: 587).', '2587'),
  smtpsPort: setting('DARWIN_SMTPS_PORT', portOrZero, 'SMTP submission port with implicit TLS (production: 465).', '2465'),
  imapPort: setting('DARWIN_IMAP_PORT', portOrZero, 'IMAP port with STARTTLS (production: 143).', '2143'),
  imapsPort: setting('DARWIN_IMAPS_PORT', portOrZero, 'IMAP port with implicit TLS (production: 993).', '2993'),
  pop3Port: setting('DARWIN_POP3_PORT', portOrZero, 'POP3 port with STLS (production: 110).', '2110'),
  pop3sPort: setting('DARWIN_POP3S_PORT', portOrZero, 'POP3 port with implicit TLS (production: 995).', '2995'),
  apiPort: setting('DARWIN_API_PORT', portOrZero, 'Control-plane API port (GraphQL at /graphql).', '4000'),
  dashboardPort: setting('DARWIN_DASHBOARD_PORT', port, 'Dashboard (Next.js) port.', '3000'),
  apiUrl: optional('DARWIN_API_URL', httpUrl, 'Where the dashboard reaches the API; default http://127.0.0.1:DARWIN_API_PORT.'),

  // TLS
  tlsCert: optional('DARWIN_TLS_CERT', path, 'PEM certificate chain for SMTP, IMAP and POP3; when unset with DARWIN_TLS_KEY, a self-signed one is generated in DARWIN_DATA_DIR/tls.'),
  tlsKey: optional('DARWIN_TLS_KEY', path, 'PEM private key matching DARWIN_TLS_CERT.', true),

  // Security
  jwtSecret: optional('DARWIN_JWT_SECRET', secret, 'Key that signs API access tokens; when unset, one is generated and kept in DARWIN_DATA_DIR.', true),
  accessTokenTtl: setting('DARWIN_ACCESS_TOKEN_TTL', duration, 'Lifetime of an API access token.', '1h'),
  plaintextAuth: setting('DARWIN_PLAINTEXT_AUTH', oneOf(['never', 'loopback', 'always'] as const), 'Where passwords may be sent without TLS: never, only from loopback clients, or always.', 'loopback'),
  authFailureDelay: setting('DARWIN_AUTH_FAILURE_DELAY', duration, 'Delay before answering a failed login (slows guessing).', '1s'),
  authMaxFailuresAccount: setting('DARWIN_AUTH_MAX_FAILURES_ACCOUNT', integer(1, 100_000), 'Failed logins to one account within the window after which the account is locked (all protocols).', '10'),
  authMaxFailuresIp: setting('DARWIN_AUTH_MAX_FAILURES_IP', integer(1, 100_000), 'Failed logins from one IP address within the window after which the address is locked out.', '30'),
  authFailureWindow: setting('DARWIN_AUTH_FAILURE_WINDOW', duration, 'Window in which failed logins are counted.', '15m'),
  authLockout: setting('DARWIN_AUTH_LOCKOUT', duration, 'How long a locked account or IP address is refused.', '15m'),

  // Limits
  maxMessageBytes: setting('DARWIN_MAX_MESSAGE_BYTES', bytes(1024, 2 * 1024 ** 3), 'Largest message accepted by SMTP and APPEND, before plan limits.', '50M'),
  smtpMaxRecipients: setting('DARWIN_SMTP_MAX_RECIPIENTS', integer(1, 10_000), 'Recipients accepted in one SMTP transaction.', '100'),
  smtpMaxReceivedHeaders: setting('DARWIN_SMTP_MAX_RECEIVED', integer(5, 500), 'Received headers after which a message is treated as looping (554 5.4.6).', '50'),
  imapMaxLineBytes: setting('DARWIN_IMAP_MAX_LINE', bytes(1024, 16 * 1024 ** 2), 'Longest IMAP command line, literals excluded.', '64K'),
  imapMaxConnectionsPerUser: setting('DARWIN_IMAP_MAX_CONNECTIONS_PER_USER', integer(1, 100_000), 'IMAP connections one mailbox may hold open at once (per engine process).', '20'),
  imapMaxConnectionsPerIp: setting('DARWIN_IMAP_MAX_CONNECTIONS_PER_IP', integer(1, 1_000_000), 'IMAP connections one client address may hold open at once (per engine process).', '200'),
  imapMaxFolders: setting('DARWIN_IMAP_MAX_FOLDERS', integer(5, 1_000_000), 'Folders one mailbox may have.', '1000'),
  imapMaxFolderDepth: setting('DARWIN_IMAP_MAX_FOLDER_DEPTH', integer(1, 64), 'Levels of a folder name ("a/b/c" has 3).', '16'),
  imapMaxFolderNameBytes: setting('DARWIN_IMAP_MAX_FOLDER_NAME', integer(16, 1024), 'Longest folder name in UTF-8 bytes.', '512'),
  expungedRetention: setting(
    'DARWIN_EXPUNGED_RETENTION',
    duration,
    'How long the record of an expunged message is kept for IMAP QRESYNC (VANISHED); clients that resynchronise after longer compare UIDs instead. The engine prunes older records hourly.',
    '30d',
  ),
  searchIndexRate: setting(
    'DARWIN_SEARCH_INDEX_RATE',
    integer(0, 100_000),
    'Messages a second whose body text the engine extracts in the background for IMAP SEARCH BODY/TEXT (0: only when a folder is first searched).',
    '200',
  ),
  idleTimeoutAuthenticated: setting('DARWIN_IMAP_IDLE_TIMEOUT', duration, 'IMAP inactivity timeout once logged in (RFC 3501: at least 30 minutes).', '30m'),
  idleTimeoutPreAuth: setting('DARWIN_PREAUTH_TIMEOUT', duration, 'Inactivity timeout before login (IMAP and POP3).', '60s'),
  pop3IdleTimeout: setting('DARWIN_POP3_IDLE_TIMEOUT', duration, 'POP3 inactivity timeout once logged in (RFC 1939: at least 10 minutes).', '10m'),
  defaultQuotaBytes: setting('DARWIN_DEFAULT_QUOTA_BYTES', bytes(0, 2 ** 50), 'Mailbox quota of the built-in default plan.', '1G'),

  // SMTP inbound and submission
  smtpTimeout: setting('DARWIN_SMTP_TIMEOUT', duration, 'SMTP inactivity timeout while the server waits for the client (RFC 5321 4.5.3.2: 5 minutes).', '5m'),
  smtpGreetPause: setting(
    'DARWIN_SMTP_GREET_PAUSE',
    duration,
    'The MX waits this long before its greeting; a client that talks first is refused (421) as a bot (Postfix postscreen pregreet test). 0ms greets at once.',
    '100ms',
  ),
  smtpGreetTtl: setting('DARWIN_SMTP_GREET_TTL', duration, 'A client address that waited for the greeting is greeted at once for this long (Postfix postscreen_greet_ttl). 0ms pauses every connection.', '1d'),
  smtpMaxErrors: setting('DARWIN_SMTP_MAX_ERRORS', integer(1, 1000), 'Error replies in one SMTP session after which it is closed with 421 (Postfix smtpd_hard_error_limit).', '20'),
  smtpMaxLineBytes: setting('DARWIN_SMTP_MAX_LINE', bytes(512, 65536), 'Longest SMTP command line; longer ones get 500 and the session is closed.', '4K'),
  smtpBareLf: setting('DARWIN_SMTP_BARE_LF', oneOf(['normalize', 'reject'] as const), 'A bare LF in DATA: normalize to CRLF, or reject the message (Postfix smtpd_forbid_bare_newline).', 'normalize'),
  subaddressSeparator: setting('DARWIN_SUBADDRESS_SEPARATOR', oneOf(['+', '-', '_', 'none'] as const), 'Separator of subaddresses (user+tag@domain is delivered to user@domain); none disables them.', '+'),
  smtpVerifySenders: setting('DARWIN_SMTP_VERIFY', boolean, 'Verify SPF, DKIM, DMARC and ARC of mail arriving on the MX and add an Authentication-Results header.', 'true'),
  smtpDmarcReject: setting('DARWIN_SMTP_DMARC_REJECT', boolean, 'Refuse (550 5.7.1) mail that fails DMARC for a domain publishing p=reject.', 'true'),
  smtpCheckTimeout: setting('DARWIN_SMTP_CHECK_TIMEOUT', duration, 'Time limit of each SMTP check (sender verification); past it the check counts as a temporary error.', '20s'),
  dnsServers: optional('DARWIN_DNS_SERVERS', dnsServerList, 'DNS servers for sender verification (and MX lookups); default: the system resolver.'),
  dnsTimeout: setting('DARWIN_DNS_TIMEOUT', duration, 'Time limit of one DNS query.', '5s'),
  sendTenantFactor: setting('DARWIN_SEND_TENANT_FACTOR', integer(1, 100_000), 'A tenant as a whole may send this many times the per-mailbox rates of its plan (per minute, hour, day).', '10'),
  sendBurstFactor: setting('DARWIN_SEND_BURST_FACTOR', integer(2, 10_000), 'Submissions within a minute above this multiple of the per-minute rate block the outbound mail of the mailbox.', '10'),
  vacationInterval: setting('DARWIN_VACATION_INTERVAL', duration, 'A mailbox sends its vacation reply to one sender at most once per this interval (RFC 3834).', '7d'),

  // Outbound queue
  transportMap: optional('DARWIN_TRANSPORT_MAP', transportMap, 'Next hops that replace the MX lookup for some recipient domains: domain=host:port, comma-separated (e.g. example.com=127.0.0.1:2526).'),
  smarthost: optional('DARWIN_SMARTHOST', nextHop, 'Relay all other outbound mail through this host:port instead of the recipient domains\' MX hosts.'),
  smarthostUser: optional('DARWIN_SMARTHOST_USER', smarthostUser, 'User name for SMTP AUTH at the smarthost; with it, the smarthost is only used over TLS (STARTTLS, or implicit TLS on port 465).'),
  smarthostPassword: optional('DARWIN_SMARTHOST_PASSWORD', smarthostPassword, 'Password for SMTP AUTH at the smarthost (with DARWIN_SMARTHOST_USER).', true),
  retrySchedule: setting('DARWIN_RETRY_SCHEDULE', durationList, 'Waits between the delivery attempts of a deferred recipient, comma-separated; the last one repeats.', '5m,10m,20m,40m,80m,160m,4h'),
  queueLifetime: setting('DARWIN_QUEUE_LIFETIME', duration, 'How long a deferred recipient is retried before the message is returned to its sender (Postfix maximal_queue_lifetime).', '5d'),
  queueWorkers: setting('DARWIN_QUEUE_WORKERS', integer(0, 1000), 'Simultaneous outbound deliveries in each engine process; 0 runs no outbound workers in this process.', '10'),
  destinationConcurrency: setting('DARWIN_DESTINATION_CONCURRENCY', integer(1, 1000), 'Simultaneous deliveries to one destination (recipient domain, or transport-map/smarthost host) across all engine processes.', '5'),
  queueLease: setting('DARWIN_QUEUE_LEASE', duration, 'How long a worker holds claimed queue rows between renewals; rows of a crashed worker are retried once it runs out.', '2m'),
  queuePollInterval: setting('DARWIN_QUEUE_POLL_INTERVAL', duration, 'How often idle outbound workers look for due mail (newly queued mail also wakes them at once).', '5s'),
  outboundConnectTimeout: setting('DARWIN_OUTBOUND_CONNECT_TIMEOUT', duration, 'Time limit for connecting to a remote SMTP server and receiving its greeting.', '30s'),
  outboundTimeout: setting('DARWIN_OUTBOUND_TIMEOUT', duration, 'Inactivity limit of an outbound SMTP connection (RFC 5321 4.5.3.2 allows minutes per command).', '5m'),
  outboundTlsVerify: setting('DARWIN_OUTBOUND_TLS_VERIFY', boolean, 'Refuse a remote server whose STARTTLS certificate does not verify; by default TLS is opportunistic (any certificate, plaintext when not offered).', 'false'),
  outboundMtaSts: setting(
    'DARWIN_OUTBOUND_MTA_STS',
    boolean,
    "Honour recipient domains' MTA-STS policies (RFC 8461): under mode enforce, mail goes only to the MX hosts the policy names, over TLS with a certificate that verifies, or waits.",
    'true',
  ),

  // Control-plane API
  refreshTokenTtl: setting('DARWIN_REFRESH_TOKEN_TTL', duration, 'Lifetime of a refresh token (a login session of the dashboard or an API client).', '30d'),
  operatorTotp: setting('DARWIN_OPERATOR_TOTP', oneOf(['optional', 'required'] as const), 'Whether operators may (optional) or must (required) use a TOTP second factor.', 'optional'),
  apiMaxQueryDepth: setting('DARWIN_API_MAX_QUERY_DEPTH', integer(2, 100), 'Deepest GraphQL selection accepted (introspection excluded).', '10'),
  apiMaxQueryCost: setting('DARWIN_API_MAX_QUERY_COST', integer(10, 10_000_000), 'Largest estimated number of fields one GraphQL request may resolve.', '20000'),
  apiSubscriptionRecheck: setting('DARWIN_API_SUBSCRIPTION_RECHECK', duration, "How often a live subscription's credential is checked again.", '30s'),
  impersonationTtl: setting('DARWIN_IMPERSONATION_TTL', duration, 'How long a provider may act as a tenant admin with one impersonation (capped at 1h).', '1h'),
  apiStatsInterval: setting('DARWIN_API_STATS_INTERVAL', duration, "How often the API snapshots today's platform and tenant figures for the charts (0ms turns the timer off).", '5m'),
  apiTrustProxy: setting('DARWIN_API_TRUST_PROXY', proxyList, 'Proxies whose X-Forwarded-For gives the client IP (audit, login throttling): loopback covers the dashboard in front of the API; none trusts nobody.', 'loopback'),

  // Observability
  logLevel: setting('DARWIN_LOG_LEVEL', oneOf(['debug', 'info', 'warn', 'error'] as const), 'Lowest log level written.', 'info'),
  logFormat: setting('DARWIN_LOG_FORMAT', oneOf(['pretty', 'json'] as const), 'Log lines as readable text or JSON objects.', 'pretty'),
  summaryCacheBytes: setting(
    'DARWIN_SUMMARY_CACHE',
    bytes(0, 16 * 1024 ** 3),
    'Memory per engine process for the message summaries (flags, sizes, ENVELOPE) of recently used folders, kept in step with the database by modseq (0 turns the cache off).',
    '64M',
  ),
  blobCacheBytes: setting('DARWIN_BLOB_CACHE', bytes(0, 64 * 1024 ** 3), 'Memory per engine process for recently delivered and read messages, what Dovecot gets from the page cache (0 turns the cache off).', '256M'),
  engineProcesses: setting('DARWIN_ENGINE_PROCESSES', integer(1, 64), 'Mail engine processes sharing the SMTP, IMAP and POP3 ports (Node cluster); they coordinate through PostgreSQL only.', '1'),
  runMigrations: setting('DARWIN_RUN_MIGRATIONS', boolean, 'Apply pending database migrations when a process starts.', 'true'),
} as const;

export type Schema = typeof schema;
export type SettingName = keyof Schema;
