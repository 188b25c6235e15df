import pg from 'pg';

/** Collects what arrives on the darwin_events channel, from a connection of its own. */
export async function listenEvents(url: string): Promise<{ events: Record<string, unknown>[]; close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  const events: Record<string, unknown>[] = [];
  client.on('notification', (n) => {
    if (n.channel === 'darwin_events' && n.payload) events.push(JSON.parse(n.payload));
  });
  await client.connect();
  await client.query('LISTEN darwin_events');
  return { events, close: () => client.end() };
}

/** Polls until `check` passes or the time is up (then throws its last error). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
