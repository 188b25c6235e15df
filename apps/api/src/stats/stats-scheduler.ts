import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from '@darwin/logger';
import { API_SETTINGS, LOGGER } from '../common/tokens.js';
import type { ApiSettings } from '../config/api-settings.js';
import { StatsService } from './stats.service.js';

/**
 * Keeps today's statistics snapshot fresh from inside the API process: one try at start, then one
 * per interval. With several API processes each one tries; the advisory lock and the age check let
 * one write per interval (a process that finds the lock taken skips its turn). A slightly shorter
 * age than the interval keeps a lone process from skipping every other turn by a few milliseconds.
 */
@Injectable()
export class StatsScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly stats: StatsService,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.settings.statsIntervalMs;
    if (!(interval > 0)) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), interval);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    // The caller closes the database after the app: let a snapshot in progress finish first.
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.stats
      .refresh(this.settings.statsIntervalMs * 0.9, false)
      .catch((err: unknown) => this.logger.warn('statistics snapshot failed', { err }))
      .finally(() => (this.running = undefined));
  }
}
