import { describe, expect, it } from 'vitest';
import type { Actor } from '../auth/actor.js';
import { mayReceive } from './event-scope.js';

const T1 = 't1';
const T2 = 't2';
const platform: Actor = { kind: 'operator', role: 'platform_admin', id: 'p', email: 'p@x', tenantId: null };
const admin1: Actor = { kind: 'operator', role: 'tenant_admin', id: 'a', email: 'a@x', tenantId: T1 };
const owner1: Actor = { kind: 'mailbox', role: 'mailbox_owner', id: 'm1', email: 'm1@x', tenantId: T1 };

describe('who receives which event', () => {
  const blocked = (tenantId: string, mailboxId: string) => ({ type: 'mailbox.blocked' as const, tenantId, mailboxId, eventId: '1' });
  it('platform admins everything, tenant admins their tenant, owners their own mailbox', () => {
    expect(mayReceive(platform, blocked(T2, 'm9'))).toBe(true);
    expect(mayReceive(admin1, blocked(T1, 'm9'))).toBe(true);
    expect(mayReceive(admin1, blocked(T2, 'm9'))).toBe(false);
    expect(mayReceive(owner1, blocked(T1, 'm1'))).toBe(true);
    expect(mayReceive(owner1, blocked(T1, 'm2'))).toBe(false);
    expect(mayReceive(owner1, blocked(T2, 'm1'))).toBe(false);
    expect(mayReceive(owner1, { type: 'domain.verified', tenantId: T1, domainId: 'd', domain: 'x.test' })).toBe(false);
    expect(mayReceive(owner1, { type: 'queue.changed', tenantId: T1, queueId: '5', state: 'sent', mailboxId: null })).toBe(false);
  });
});
