/**
 * True when an access token should be exchanged before use: it cannot be read, or less than a
 * quarter of its life (at most five minutes, at least thirty seconds) is left. The signature is not
 * checked here; the API does that on every request.
 */
export function needsRefresh(token: string | undefined, now = Date.now()): boolean {
  if (!token) return true;
  const claims = readClaims(token);
  if (!claims) return true;
  const lifetime = claims.exp - claims.iat;
  const margin = Math.min(300, Math.max(30, lifetime / 4));
  return claims.exp - now / 1000 < margin;
}

/**
 * True when a token that cannot be renewed (an impersonation token) is no longer of use: it cannot
 * be read, or its expiry is less than five seconds away.
 */
export function isSpent(token: string | undefined, now = Date.now()): boolean {
  const claims = token ? readClaims(token) : undefined;
  return !claims || claims.exp - now / 1000 < 5;
}

function readClaims(token: string): { iat: number; exp: number } | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { iat?: unknown; exp?: unknown };
    if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number') return undefined;
    return { iat: claims.iat, exp: claims.exp };
  } catch {
    return undefined;
  }
}
