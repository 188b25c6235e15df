import type { ReactNode } from 'react';
import { SubNav } from '@/components/sub-nav';
import { requireMailboxOwner } from '@/lib/server/viewer';

/** Self-service for a mailbox's owner (signed in with the address and its password). Nobody else. */
export default async function MailboxLayout({ children }: { children: ReactNode }) {
  await requireMailboxOwner();
  return (
    <>
      <div className="portal-head">
        <SubNav
          label="Mailbox"
          items={[
            { href: '/mailbox', label: 'Overview', prefix: false },
            { href: '/mailbox/settings', label: 'Settings' },
            { href: '/mailbox/setup', label: 'Mail app setup' },
          ]}
        />
      </div>
      {children}
    </>
  );
}
