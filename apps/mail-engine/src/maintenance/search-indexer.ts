/**
 * Extracts the searchable body text of new mail in the background, at most `perSecond` messages a
 * second, so SEARCH BODY/TEXT normally finds every message already in the trigram index instead of
 * reading messages. The rate cap keeps it from competing with deliveries during a burst; what it
 * has not reached yet a body search fills for its own folder. Every engine process may run it:
 * each batch skips rows another process holds.
 */
import type { Logger } from '@darwin/logger';
import type { MailStore } from '@darwin/mail-store';

export interface SearchIndexerOptions {
  readonly store: MailStore;
  readonly logger: Logger;
  /** Messages indexed per second at most; 0 turns the indexer off. */
  readonly perSecond: number;
  /** How often it looks for new mail. */
  readonly intervalMs?: number;
}

export class SearchIndexer {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(private readonly opts: SearchIndexerOptions) {}

  start(): void {
    if (this.opts.perSecond <= 0) return;
    this.timer = setInterval(() => void this.runOnce(), this.opts.intervalMs ?? 1_000).unref();
  }

  /** One pass (never two at once); resolves to the messages indexed, 0 after an error (logged). */
  runOnce(): Promise<number> {
    this.running ??= this.index().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async index(): Promise<number> {
    const max = Math.max(1, Math.round((this.opts.perSecond * (this.opts.intervalMs ?? 1_000)) / 1_000));
    try {
      const n = await this.opts.store.indexSearchText(max);
      if (n > 0) this.opts.logger.debug('indexed body text', { messages: n });
      return n;
    } catch (err) {
      this.opts.logger.warn('indexing body text failed', { err });
      return 0;
    }
  }
}
