import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { DataSource } from '@darwin/db';
import type { Logger } from '@darwin/logger';
import pg from 'pg';
import { DATA_SOURCE, LOGGER } from '../common/tokens.js';
import { EVENTS_CHANNEL, parsePlatformEvent, type PlatformEvent } from './platform-event.js';

type Listener = (event: PlatformEvent) => void;

/** Events waiting for a slow subscriber; older ones are dropped beyond this. */
const MAX_BUFFERED = 1000;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

/**
 * One LISTEN connection per API process on `darwin_events`, opened when the first subscriber
 * arrives and closed with the app, fanning events out to in-process subscribers. The connection is
 * its own (not from the pool): a LISTENing session must stay open. After a lost connection it
 * reconnects with backoff; events sent while it was down are lost (subscriptions are for live
 * display, not a log: the audit log and the tables are the record).
 */
@Injectable()
export class EventHub implements OnModuleDestroy {
  private readonly listeners = new Set<Listener>();
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private stopped = false;
  private retryMs = RECONNECT_MIN_MS;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Resolves once this process is LISTENing, so an event sent after it returns is not missed. */
  async subscribe(listener: Listener): Promise<() => void> {
    this.listeners.add(listener);
    try {
      await this.ensureListening();
    } catch (err) {
      this.listeners.delete(listener);
      throw err;
    }
    return () => this.listeners.delete(listener);
  }

  /** A pull-style stream of the events `accept` lets through (what GraphQL subscriptions iterate). */
  async stream(accept: (event: PlatformEvent) => boolean): Promise<AsyncIterableIterator<PlatformEvent>> {
    const queue: PlatformEvent[] = [];
    let wake: ((r: IteratorResult<PlatformEvent>) => void) | undefined;
    let done = false;
    const unsubscribe = await this.subscribe((event) => {
      if (done || !accept(event)) return;
      if (wake) {
        const w = wake;
        wake = undefined;
        w({ value: event, done: false });
      } else {
        queue.push(event);
        if (queue.length > MAX_BUFFERED) queue.shift();
      }
    });
    const finish = (): IteratorResult<PlatformEvent> => {
      done = true;
      unsubscribe();
      queue.length = 0;
      if (wake) wake({ value: undefined, done: true });
      wake = undefined;
      return { value: undefined, done: true };
    };
    const iterator: AsyncIterableIterator<PlatformEvent> = {
      next: () => {
        if (done) return Promise.resolve({ value: undefined, done: true });
        const event = queue.shift();
        if (event) return Promise.resolve({ value: event, done: false });
        return new Promise((resolve) => (wake = resolve));
      },
      return: () => Promise.resolve(finish()),
      throw: (err?: unknown) => {
        finish();
        return Promise.reject(err);
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.listeners.clear();
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => {});
  }

  private ensureListening(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const url = (this.dataSource.options as { url?: string }).url;
    if (!url) throw new Error('the DataSource has no url to LISTEN on');
    const client = new pg.Client({ connectionString: url, application_name: 'darwin-api-events' });
    client.on('notification', (msg) => {
      if (msg.channel !== EVENTS_CHANNEL || !msg.payload) return;
      const event = parsePlatformEvent(msg.payload);
      if (!event) {
        this.logger.warn('ignored a malformed platform event', { channel: msg.channel });
        return;
      }
      for (const l of this.listeners) l(event);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, undefined));
    await client.connect();
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    if (this.stopped) {
      await client.end();
      return;
    }
    this.client = client;
    this.retryMs = RECONNECT_MIN_MS;
  }

  private lost(client: pg.Client, err: Error | undefined): void {
    if (this.client !== client) return;
    this.client = undefined;
    if (this.stopped) return;
    this.logger.warn('event LISTEN connection lost; reconnecting', { err });
    client.end().catch(() => {});
    const retry = () => {
      this.retryTimer = undefined;
      if (this.stopped || this.listeners.size === 0) return;
      this.ensureListening().catch((e: unknown) => {
        this.logger.warn('event LISTEN reconnect failed', { err: e });
        this.retryMs = Math.min(this.retryMs * 2, RECONNECT_MAX_MS);
        this.retryTimer = setTimeout(retry, this.retryMs);
      });
    };
    this.retryTimer = setTimeout(retry, this.retryMs);
  }
}
