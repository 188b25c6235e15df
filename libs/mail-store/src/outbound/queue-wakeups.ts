import type { Logger } from '@darwin/logger';
import pg from 'pg';
import { EVENTS_CHANNEL } from '../pg/events.js';

/**
 * Wakes idle outbound workers when mail is queued or a held mailbox is released, from any process:
 * one LISTEN connection on darwin_events. Best effort (workers also poll), so a lost connection is
 * only logged and re-established with backoff.
 */
export class QueueWakeups {
  private client?: pg.Client;
  private closed = false;
  private retryMs = 250;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    private readonly onWake: () => void,
    private readonly log?: Logger,
  ) {}

  /** Resolves once LISTEN is active, or after the first failed attempt (retries go on in the background). */
  async start(): Promise<void> {
    await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url, application_name: 'darwin-queue-wakeups' });
    client.on('notification', (msg) => {
      if (wakes(msg.payload)) this.onWake();
    });
    const lost = (err?: unknown) => {
      if (this.client !== client) return;
      this.client = undefined;
      if (!this.closed) {
        this.log?.warn('queue wake-up connection lost', { err });
        this.retry();
      }
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      if (this.closed) {
        await client.end().catch(() => {});
        return;
      }
      this.client = client;
      this.retryMs = 250;
      // Anything queued while we were not listening is found by the next poll; wake now anyway.
      this.onWake();
    } catch (err) {
      this.log?.warn('queue wake-up connection failed', { err });
      await client.end().catch(() => {});
      this.retry();
    }
  }

  private retry(): void {
    if (this.closed) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
    this.timer = setTimeout(() => void this.connect(), delay);
    this.timer.unref();
  }
}

function wakes(payload: string | undefined): boolean {
  if (!payload) return false;
  try {
    const e = JSON.parse(payload) as { type?: string; state?: string };
    return (e.type === 'queue.changed' && e.state === 'queued') || e.type === 'mailbox.released';
  } catch {
    return false;
  }
}
