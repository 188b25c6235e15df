/**
 * Value kinds for environment settings. Each kind parses a raw string and describes the form it
 * expects, so a bad value can be reported with the variable's name and what would be accepted.
 */
export interface Kind<T> {
  /** Human description of the accepted form, used in start-up errors and in .env.example. */
  readonly form: string;
  /** Returns the parsed value, or undefined when the raw string is not of this form. */
  parse(raw: string): T | undefined;
}

export const port: Kind<number> = {
  form: 'a TCP port (integer 1-65535)',
  parse: (raw) => {
    if (!/^\d{1,5}$/.test(raw)) return undefined;
    const n = Number(raw);
    return n >= 1 && n <= 65535 ? n : undefined;
  },
};

/** Port 0 lets the OS choose; tests use it to run several stacks side by side. */
export const portOrZero: Kind<number> = {
  form: 'a TCP port (integer 0-65535; 0 picks a free port)',
  parse: (raw) => (raw === '0' ? 0 : port.parse(raw)),
};

export function integer(min: number, max: number): Kind<number> {
  return {
    form: `an integer from ${min} to ${max}`,
    parse: (raw) => {
      if (!/^-?\d+$/.test(raw)) return undefined;
      const n = Number(raw);
      return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
    },
  };
}

const sizeUnits: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** Byte sizes accept a plain integer or a number with a unit: 52428800, 50M, 1.5GB. */
export function bytes(min: number, max: number): Kind<number> {
  return {
    form: `a size in bytes from ${min} to ${max} (e.g. 1048576, 512K, 50M, 2G)`,
    parse: (raw) => {
      const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(raw.trim());
      if (!m) return undefined;
      const unit = sizeUnits[m[2]!.toLowerCase()];
      if (unit === undefined) return undefined;
      const n = Math.floor(Number(m[1]) * unit);
      return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
    },
  };
}

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Durations are written with a unit (500ms, 30s, 10m, 4h, 5d) and parsed to milliseconds. */
export const duration: Kind<number> = {
  form: 'a duration with a unit: ms, s, m, h or d (e.g. 30s, 10m)',
  parse: (raw) => {
    const m = /^(\d+)(ms|s|m|h|d)$/.exec(raw.trim());
    if (!m) return undefined;
    return Number(m[1]) * durationUnits[m[2]!]!;
  },
};

export const boolean: Kind<boolean> = {
  form: 'true or false',
  parse: (raw) => {
    const v = raw.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
    return undefined;
  },
};

export function oneOf<const T extends string>(values: readonly T[]): Kind<T> {
  return {
    form: `one of ${values.join(', ')}`,
    parse: (raw) => (values as readonly string[]).includes(raw) ? (raw as T) : undefined,
  };
}

export const text: Kind<string> = {
  form: 'any non-empty text',
  parse: (raw) => (raw.length > 0 ? raw : undefined),
};

export const secret: Kind<string> = {
  form: 'a secret of at least 32 characters',
  parse: (raw) => (raw.length >= 32 ? raw : undefined),
};

export const password: Kind<string> = {
  form: 'a password of at least 10 characters',
  parse: (raw) => (raw.length >= 10 ? raw : undefined),
};

export const email: Kind<string> = {
  form: 'an e-mail address (local@domain)',
  parse: (raw) => (/^[^\s@]+@[^\s@]+$/.test(raw) ? raw : undefined),
};

export const hostname: Kind<string> = {
  form: 'a host name (letters, digits, dots and hyphens)',
  parse: (raw) => (/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(raw) ? raw.toLowerCase() : undefined),
};

export const ipAddress: Kind<string> = {
  form: 'an IP address to bind (e.g. 127.0.0.1, 0.0.0.0, ::)',
  parse: (raw) => (/^[0-9a-f.:]+$/i.test(raw) && (raw.includes('.') || raw.includes(':')) ? raw : undefined),
};

export const postgresUrl: Kind<string> = {
  form: 'a PostgreSQL URL (postgres://user[:password]@host[:port]/database)',
  parse: (raw) => {
    try {
      const u = new URL(raw);
      return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.hostname && u.pathname.length > 1 ? raw : undefined;
    } catch {
      return undefined;
    }
  },
};

export const httpUrl: Kind<string> = {
  form: 'an http(s) URL (e.g. http://127.0.0.1:4000)',
  parse: (raw) => {
    try {
      const u = new URL(raw);
      return u.protocol === 'http:' || u.protocol === 'https:' ? raw.replace(/\/+$/, '') : undefined;
    } catch {
      return undefined;
    }
  },
};

export const path: Kind<string> = {
  form: 'a file-system path',
  parse: (raw) => (raw.trim().length > 0 && !raw.includes('\0') ? raw : undefined),
};

/** Express `trust proxy` values: loopback, linklocal, uniquelocal, addresses or CIDRs, comma-separated; `none` trusts nobody (''). */
export const proxyList: Kind<string> = {
  form: 'none, or comma-separated loopback, linklocal, uniquelocal, IP addresses or CIDRs',
  parse: (raw) => {
    if (raw.trim() === 'none') return '';
    const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
    const ok = items.every((s) => ['loopback', 'linklocal', 'uniquelocal'].includes(s) || /^[0-9a-f.:]+(\/\d{1,3})?$/i.test(s));
    return ok ? items.join(',') : undefined;
  },
};
