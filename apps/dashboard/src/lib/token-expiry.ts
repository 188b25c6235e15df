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
