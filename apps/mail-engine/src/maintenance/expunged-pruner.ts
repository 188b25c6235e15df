/**
 * Prunes expunge records older than DARWIN_EXPUNGED_RETENTION, once shortly after start and then
 * hourly. Every engine process may run it: batches skip rows another process holds. Without it
 * the table would keep one row for every message ever deleted (each POP3 download-and-delete).
 */
import type { Logger } from '@darwin/logger';
import type { MailStore } from '@darwin/mail-store';

export interface ExpungedPrunerOptions {
  readonly store: MailStore;
  readonly logger: Logger;
  /** Records older than this many milliseconds are pruned. */
  readonly retentionMs: number;
  readonly intervalMs?: number;
  /** First run after this delay, so start-up is not slowed. */
  readonly firstRunMs?: number;
}

export class ExpungedPruner {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(private readonly opts: ExpungedPrunerOptions) {}

  start(): void {
    const interval = this.opts.intervalMs ?? 3_600_000;
    this.timer = setTimeout(() => {
      void this.runOnce();
      this.timer = setInterval(() => void this.runOnce(), interval).unref();
    }, this.opts.firstRunMs ?? 60_000).unref();
  }

  /** One pruning pass (not two at once); resolves to the records removed, 0 after an error (logged). */
  runOnce(): Promise<number> {
    this.running ??= this.prune().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async prune(): Promise<number> {
    try {
      const removed = await this.opts.store.pruneExpunged(new Date(Date.now() - this.opts.retentionMs));
      if (removed > 0) this.opts.logger.info('pruned expunge records', { removed, retentionMs: this.opts.retentionMs });
      return removed;
    } catch (err) {
      this.opts.logger.warn('pruning expunge records failed', { err });
      return 0;
    }
  }
}
