/**
 * Structured logging: one line per event, with bindings (app, connection id, request id) on every
 * line. `pretty` is for people at a terminal, `json` for log shippers. Fields whose names look like
 * secrets are masked here, as a last line of defence; callers must still not pass secrets.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, unknown>>;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|key$/i;

export interface LoggerOptions {
  readonly level?: LogLevel;
  readonly format?: 'pretty' | 'json';
  readonly write?: (line: string) => void;
}

export class Logger {
  private readonly min: number;

  constructor(
    private readonly opts: Required<LoggerOptions>,
    private readonly bindings: LogFields = {},
  ) {
    this.min = ORDER[opts.level];
  }

  /** A logger whose lines carry these fields too (e.g. `{ cid }` for one connection). */
  child(fields: LogFields): Logger {
    return new Logger(this.opts, { ...this.bindings, ...fields });
  }

  isEnabled(level: LogLevel): boolean {
    return ORDER[level] >= this.min;
  }

  debug(msg: string, fields?: LogFields): void {
    this.log('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.log('info', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.log('warn', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.log('error', msg, fields);
  }

  log(level: LogLevel, msg: string, fields?: LogFields): void {
    if (ORDER[level] < this.min) return;
    const all = fields ? { ...this.bindings, ...fields } : this.bindings;
    this.opts.write(this.opts.format === 'json' ? json(level, msg, all) : pretty(level, msg, all));
  }
}

function clean(key: string, value: unknown): unknown {
  if (SECRET_KEY.test(key) && value !== undefined && value !== null) return '***';
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

function json(level: LogLevel, msg: string, fields: LogFields): string {
  const out: Record<string, unknown> = { time: new Date().toISOString(), level, msg };
  for (const [k, v] of Object.entries(fields)) out[k] = clean(k, v);
  return JSON.stringify(out) + '\n';
}

function pretty(level: LogLevel, msg: string, fields: LogFields): string {
  let line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${msg}`;
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    line += ` ${k}=${prettyValue(clean(k, v), v)}`;
  }
  return line + '\n';
}

function prettyValue(c: unknown, original: unknown): string {
  if (original instanceof Error) return JSON.stringify(original.message);
  if (typeof c === 'string') return /\s|"/.test(c) || c === '' ? JSON.stringify(c) : c;
  return JSON.stringify(c);
}

export function createLogger(bindings: LogFields = {}, opts: LoggerOptions = {}): Logger {
  return new Logger(
    {
      level: opts.level ?? 'info',
      format: opts.format ?? 'pretty',
      write: opts.write ?? ((line) => process.stdout.write(line)),
    },
    bindings,
  );
}

let seq = 0;
/** Short ids for connections and requests: base36 time + counter, unique within a process run. */
export function newId(prefix = ''): string {
  seq = (seq + 1) % 1_679_616;
  return prefix + Date.now().toString(36).slice(-5) + seq.toString(36).padStart(4, '0');
}
