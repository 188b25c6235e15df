import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import type { DataSource } from '@darwin/db';
import { Public } from '../auth/allow.decorator.js';
import { DATA_SOURCE } from '../common/tokens.js';

/** For load balancers and the launcher: 200 when the API can reach PostgreSQL, 503 otherwise. */
@Public()
@Controller()
export class HealthController {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  @Get('health')
  async health(): Promise<{ status: 'ok' }> {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableException({ status: 'unavailable' });
    }
    return { status: 'ok' };
  }
}
