/** Retries `check` until it returns a value other than undefined, or fails after `ms`. */
export async function pollUntil<T>(check: () => Promise<T | undefined>, ms = 5_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
