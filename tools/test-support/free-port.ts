import { createServer } from 'node:net';

/**
 * Ports are picked below Linux's ephemeral range (32768-60999 by default): a port the OS hands out
 * for listen(0) is also one it may give the next outgoing connection as its local port, and a test
 * that starts a server on it a moment later then fails with EADDRINUSE (seen on CI).
 */
const LOW = 20_000;
const HIGH = 32_767;
const handedOut = new Set<number>();

function tryListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A TCP port that was free a moment ago and is not handed out twice by this process, for starting servers side by side. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW + 1));
    if (handedOut.has(port)) continue;
    if (await tryListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port between ${LOW} and ${HIGH}`);
}
