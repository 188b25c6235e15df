import { validation } from '@darwin/core';
import { PLAN_DEFAULTS, type PlanEntity, type PlanLimits } from '@darwin/db';
import { requireByteCount, requireInt } from '../common/validate.js';
import type { CreatePlanInput, UpdatePlanInput } from './dto/plan.inputs.js';

export const MAX_COUNT = 10_000_000;
export const MAX_RATE = 100_000_000;

export { PLAN_DEFAULTS, type PlanLimits };

const given = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;

/** The limits of a new plan: given values checked, the rest from the defaults (quotas fitted to storage). */
export function limitsForNewPlan(input: CreatePlanInput): PlanLimits {
  const storageBytes = given(input.storageBytes) ? requireByteCount(input.storageBytes, 'storageBytes') : PLAN_DEFAULTS.storageBytes;
  const defaultQuota = given(input.defaultMailboxQuotaBytes) ? input.defaultMailboxQuotaBytes : Math.min(PLAN_DEFAULTS.defaultMailboxQuotaBytes, storageBytes);
  const maxQuota = given(input.maxMailboxQuotaBytes) ? input.maxMailboxQuotaBytes : Math.max(defaultQuota, Math.min(PLAN_DEFAULTS.maxMailboxQuotaBytes, storageBytes));
  return checkLimits({
    ...PLAN_DEFAULTS,
    ...definedOnly(input),
    storageBytes,
    defaultMailboxQuotaBytes: defaultQuota,
    maxMailboxQuotaBytes: maxQuota,
  });
}

/** The limits after an update: the current ones with the given values over them, checked together. */
export function limitsAfterUpdate(current: PlanEntity, input: UpdatePlanInput): PlanLimits {
  const { id: _id, name: _name, createdAt: _c, updatedAt: _u, ...limits } = current;
  const { name: _newName, ...changes } = input;
  return checkLimits({ ...limits, ...definedOnly(changes) });
}

function definedOnly<T extends object>(o: T): Partial<PlanLimits> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (k !== 'name' && given(v)) out[k] = v;
  return out as Partial<PlanLimits>;
}

export function checkLimits(l: PlanLimits): PlanLimits {
  requireInt(l.maxDomains, 'maxDomains', 0, MAX_COUNT);
  requireInt(l.maxMailboxes, 'maxMailboxes', 0, MAX_COUNT);
  requireInt(l.maxAliases, 'maxAliases', 0, MAX_COUNT);
  requireByteCount(l.storageBytes, 'storageBytes');
  requireByteCount(l.defaultMailboxQuotaBytes, 'defaultMailboxQuotaBytes');
  requireByteCount(l.maxMailboxQuotaBytes, 'maxMailboxQuotaBytes');
  requireByteCount(l.maxMessageBytes, 'maxMessageBytes');
  if (l.maxMessageBytes < 1) throw validation('maxMessageBytes must be at least 1', { field: 'maxMessageBytes' });
  requireInt(l.sendPerMinute, 'sendPerMinute', 0, MAX_RATE);
  requireInt(l.sendPerHour, 'sendPerHour', 0, MAX_RATE);
  requireInt(l.sendPerDay, 'sendPerDay', 0, MAX_RATE);
  requireInt(l.maxRecipientsPerMessage, 'maxRecipientsPerMessage', 1, MAX_COUNT);
  if (l.defaultMailboxQuotaBytes > l.maxMailboxQuotaBytes) {
    throw validation('defaultMailboxQuotaBytes must not exceed maxMailboxQuotaBytes', { field: 'defaultMailboxQuotaBytes' });
  }
  if (l.maxMailboxQuotaBytes > l.storageBytes) throw validation('maxMailboxQuotaBytes must not exceed storageBytes', { field: 'maxMailboxQuotaBytes' });
  return l;
}
