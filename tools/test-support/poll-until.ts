/**
 * Calls `check` every 50 ms until it returns something truthy, and resolves with that; rejects
 * with "timed out waiting for <what>" after `timeoutMs` (default 15 s).
 */
export async function pollUntil<T>(what: string, check: () => Promise<T | undefined | false | null>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
