/**
 * A path to go to after signing in, accepted only when it stays on this site: it must start with a
 * single "/" (no scheme, no "//host", no backslashes that browsers read as slashes).
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/';
  return next;
}
