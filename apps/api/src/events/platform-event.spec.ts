import { describe, expect, it } from 'vitest';
import { parsePlatformEvent } from './platform-event.js';

const T = '6f1c2a9e-1111-4222-8333-944445555666';
const M = 'a1b2c3d4-0000-4000-8000-000000000001';

describe('platform event payloads', () => {
  it('parse the engine and API payloads', () => {
    expect(parsePlatformEvent(JSON.stringify({ type: 'mailbox.blocked', tenantId: T, mailboxId: M, eventId: 17 }))).toEqual({
      type: 'mailbox.blocked',
      tenantId: T,
      mailboxId: M,
      eventId: '17',
    });
    expect(parsePlatformEvent(JSON.stringify({ type: 'queue.changed', tenantId: T, queueId: '5', state: 'deferred' }))).toEqual({
      type: 'queue.changed',
      tenantId: T,
      queueId: '5',
      state: 'deferred',
      mailboxId: null,
    });
    expect(parsePlatformEvent(JSON.stringify({ type: 'quota.crossed', tenantId: T, mailboxId: M, percent: 90 }))?.type).toBe('quota.crossed');
    expect(parsePlatformEvent(JSON.stringify({ type: 'domain.verified', tenantId: T, domainId: M, domain: 'a.example' }))?.type).toBe('domain.verified');
  });

  it('drop malformed and unknown payloads', () => {
    for (const bad of ['', 'null', '[]', '{"type":"mailbox.blocked"}', JSON.stringify({ type: 'quota.crossed', tenantId: T, mailboxId: M, percent: 85 }), JSON.stringify({ type: 'x', tenantId: T })]) {
      expect(parsePlatformEvent(bad)).toBeUndefined();
    }
  });
});
