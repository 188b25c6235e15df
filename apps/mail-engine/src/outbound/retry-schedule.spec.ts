import { loadConfig } from '@darwin/config';
import { describe, expect, it } from 'vitest';
import { nextStep, retryDelay } from './retry-schedule.js';

const MIN = 60_000;

describe('retry schedule', () => {
  it('defaults to 5 minutes doubling up to 4 hours, then every 4 hours, giving up after 5 days', () => {
    const config = loadConfig({});
    expect(config.retrySchedule).toEqual([5, 10, 20, 40, 80, 160, 240].map((m) => m * MIN));
    expect(config.queueLifetime).toBe(5 * 24 * 60 * MIN);
    const sut = (n: number) => retryDelay(config.retrySchedule, n) / MIN;
    expect([1, 2, 3, 4, 5, 6, 7, 8, 30].map(sut)).toEqual([5, 10, 20, 40, 80, 160, 240, 240, 240]);
  });

  it('never schedules past the expiry, and gives up once it has passed', () => {
    const now = new Date('2026-11-26T12:00:00Z');
    const policy = { schedule: [5 * MIN, 4 * 60 * MIN] };
    expect(nextStep(policy, 1, new Date(now.getTime() + 60 * MIN), now)).toEqual({ kind: 'retry', at: new Date(now.getTime() + 5 * MIN) });
    expect(nextStep(policy, 2, new Date(now.getTime() + 60 * MIN), now)).toEqual({ kind: 'retry', at: new Date(now.getTime() + 60 * MIN) });
    expect(nextStep(policy, 3, now, now)).toEqual({ kind: 'expired' });
    expect(nextStep(policy, 3, new Date(now.getTime() - 1), now)).toEqual({ kind: 'expired' });
  });
});
