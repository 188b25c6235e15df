import { boolean, bytes, duration, email, hostname, httpUrl, integer, ipAddress, oneOf, password, path, port, portOrZero, postgresUrl, secret } from './kinds.js';
import { optional, setting } from './setting.js';

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
  idleTimeoutAuthenticated: setting('DARWIN_IMAP_IDLE_TIMEOUT', duration, 'IMAP inactivity timeout once logged in (RFC 3501: at least 30 minutes).', '30m'),
  idleTimeoutPreAuth: setting('DARWIN_PREAUTH_TIMEOUT', duration, 'Inactivity timeout before login (IMAP and POP3).', '60s'),
  pop3IdleTimeout: setting('DARWIN_POP3_IDLE_TIMEOUT', duration, 'POP3 inactivity timeout once logged in (RFC 1939: at least 10 minutes).', '10m'),
  defaultQuotaBytes: setting('DARWIN_DEFAULT_QUOTA_BYTES', bytes(0, 2 ** 50), 'Mailbox quota of the built-in default plan.', '1G'),

  // Observability
  logLevel: setting('DARWIN_LOG_LEVEL', oneOf(['debug', 'info', 'warn', 'error'] as const), 'Lowest log level written.', 'info'),
  logFormat: setting('DARWIN_LOG_FORMAT', oneOf(['pretty', 'json'] as const), 'Log lines as readable text or JSON objects.', 'pretty'),
  runMigrations: setting('DARWIN_RUN_MIGRATIONS', boolean, 'Apply pending database migrations when a process starts.', 'true'),
} as const;

export type Schema = typeof schema;
export type SettingName = keyof Schema;
