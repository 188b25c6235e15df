import type { Metadata } from 'next';
import { loadOwnMailbox } from '../loader';
import { SettingsClient } from './page-client';

export const metadata: Metadata = { title: 'Mailbox settings' };

export default async function MailboxSettingsPage() {
  const mailbox = await loadOwnMailbox();
  return (
    <>
      <div className="page-head">
        <h1>Settings</h1>
      </div>
      <SettingsClient mailbox={mailbox} />
    </>
  );
}
