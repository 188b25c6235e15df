import type { Actor } from '../auth/actor.js';
import type { PlatformEvent } from '../events/platform-event.js';

/**
 * Whether a subscriber may see an event: platform admins see all; a tenant admin (or tenant API key)
 * its tenant's; a mailbox owner only events about its own mailbox.
 */
export function mayReceive(actor: Actor, event: PlatformEvent): boolean {
  switch (actor.role) {
    case 'platform_admin':
      return true;
    case 'tenant_admin':
      return event.tenantId === actor.tenantId;
    case 'mailbox_owner':
      return event.tenantId === actor.tenantId && 'mailboxId' in event && event.mailboxId === actor.id;
  }
}
