import type { PlanEntity } from './entities/plan.entity.js';

const GiB = 1024 ** 3;

/** Every limit of a plan (what a plan is, less its identity and times). */
export type PlanLimits = Omit<PlanEntity, 'id' | 'name' | 'createdAt' | 'updatedAt'>;

/**
 * The limits a plan gets when none are given: the first-start Default plan and `createPlan`
 * without values share them.
 */
export const PLAN_DEFAULTS = {
  maxDomains: 10,
  maxMailboxes: 100,
  maxAliases: 500,
  storageBytes: 100 * GiB,
  defaultMailboxQuotaBytes: GiB,
  maxMailboxQuotaBytes: 10 * GiB,
  maxMessageBytes: 50 * 1024 * 1024,
  sendPerMinute: 30,
  sendPerHour: 300,
  sendPerDay: 1000,
  maxRecipientsPerMessage: 100,
  imapEnabled: true,
  pop3Enabled: true,
} as const satisfies PlanLimits;
