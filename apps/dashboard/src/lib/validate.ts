/** Small checks shared by the forms; each answers an error message or undefined. */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function required(value: string, what: string): string | undefined {
  return value.trim() ? undefined : `Enter ${what}.`;
}

export function email(value: string, what = 'an email address'): string | undefined {
  if (!value.trim()) return `Enter ${what}.`;
  return EMAIL.test(value.trim()) ? undefined : `${capitalise(what)} must look like name@example.com.`;
}

export function password(value: string): string | undefined {
  if (!value) return 'Enter a password.';
  if (value.length < 10) return 'The password needs at least 10 characters.';
  if (value.length > 1024) return 'The password may have at most 1024 characters.';
  return undefined;
}

export function wholeNumber(value: string, what: string, min = 0, max = 1_000_000_000): string | undefined {
  if (!value.trim()) return `Enter ${what}.`;
  const n = Number(value);
  if (!Number.isInteger(n)) return `${capitalise(what)} must be a whole number.`;
  if (n < min) return `${capitalise(what)} must be at least ${min}.`;
  if (n > max) return `${capitalise(what)} must be at most ${max}.`;
  return undefined;
}

export function domainName(value: string): string | undefined {
  const v = value.trim().replace(/\.$/, '');
  if (!v) return 'Enter a domain name.';
  if (v.includes('@') || v.includes('/') || /\s/.test(v)) return 'Enter only the domain, like example.com (no @, spaces or slashes).';
  if (!v.includes('.')) return 'A domain name has at least one dot, like example.com.';
  if (v.length > 253) return 'A domain name has at most 253 characters.';
  return undefined;
}

/** Addresses separated by commas, spaces or new lines. */
export function addressList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((a) => a.trim())
    .filter(Boolean);
}

export function addresses(list: string[], what: string, { min = 0, max = 50 } = {}): string | undefined {
  if (list.length < min) return `Enter at least ${min === 1 ? 'one address' : `${min} addresses`} for ${what}.`;
  if (list.length > max) return `At most ${max} addresses for ${what}.`;
  const bad = list.find((a) => !EMAIL.test(a));
  return bad ? `“${bad}” is not an email address.` : undefined;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
