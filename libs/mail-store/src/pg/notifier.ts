import pg from 'pg';
import type { Logger } from '@darwin/logger';
import type { FolderChange, FolderChangeKind } from '../types.js';
import { NOTIFY_CHANNEL } from './tx.js';

type Listener = (change: FolderChange) => void;

/**
 * One LISTEN connection per process, fanning notifications out to the sessions watching each
 * folder. After a reconnect every watcher gets a 'folder' change, since notifications sent while we
 * were away are lost and sessions must resynchronise from the database.
 */
export class FolderNotifier {
  private readonly listeners = new Map<string, Set<Listener>>();
  private client?: pg.Client;
  private connecting?: Promise<void>;
  private closed = false;
  private retryMs = 250;

  constructor(
    private readonly url: string,
    private readonly log?: Logger,
  ) {}

  watch(folderId: string, listener: Listener): () => void {
    let set = this.listeners.get(folderId);
    if (!set) this.listeners.set(folderId, (set = new Set()));
    set.add(listener);
    void this.ensureConnected();
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(folderId);
    };
  }

  /** Resolves once LISTEN is active (tests use it to avoid racing the first notification). */
  ready(): Promise<void> {
    return this.ensureConnected();
  }

  private ensureConnected(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'darwin-notify' });
    client.on('notification', (msg) => this.dispatch(msg.payload ?? ''));
    client.on('error', (err) => {
      this.log?.warn('notify connection lost', { err });
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
      this.client = client;
      this.retryMs = 250;
    } catch (err) {
      this.log?.warn('notify connect failed', { err });
      await client.end().catch(() => {});
      this.scheduleRetry();
    }
  }

  private reconnect(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    if (this.closed) return;
    this.scheduleRetry(true);
  }

  private scheduleRetry(resync = false): void {
    if (this.closed) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
    setTimeout(() => {
      void this.ensureConnected().then(() => {
        if (resync && this.client) for (const id of this.listeners.keys()) this.emit(id, { folderId: id, kind: 'folder', modseq: 0 });
      });
    }, delay).unref();
  }

  private dispatch(payload: string): void {
    const [folderId, kind, modseq] = payload.split(':');
    if (!folderId || !kind) return;
    this.emit(folderId, { folderId, kind: kind as FolderChangeKind, modseq: Number(modseq) });
  }

  private emit(folderId: string, change: FolderChange): void {
    const set = this.listeners.get(folderId);
    if (!set) return;
    for (const l of [...set]) {
      try {
        l(change);
      } catch (err) {
        this.log?.error('folder listener failed', { err });
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.connecting;
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => {});
  }
}
