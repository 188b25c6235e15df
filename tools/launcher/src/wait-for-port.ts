import { connect } from 'node:net';

function tryConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, host);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Resolves when something accepts TCP connections on host:port; rejects after the timeout or when `abort` resolves first. */
export async function waitForPort(host: string, port: number, timeoutMs: number, abort: Promise<unknown>): Promise<void> {
  let aborted = false;
  void abort.then(() => (aborted = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (aborted) throw new Error(`stopped before ${host}:${port} was ready`);
    if (await tryConnect(host, port)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`nothing listening on ${host}:${port} after ${timeoutMs / 1000}s`);
}
