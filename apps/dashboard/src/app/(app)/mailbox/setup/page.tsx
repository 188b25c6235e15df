import type { Metadata } from 'next';
import { CopyButton } from '@/components/copy-button';
import { clientSettingsFor } from '@/lib/server/client-settings';
import { loadOwnMailbox } from '../loader';

export const metadata: Metadata = { title: 'Mail app setup' };

/** How to set up a mail client: the servers (from the API's autoconfig), and the Apple profile. */
export default async function MailSetupPage() {
  const mailbox = await loadOwnMailbox();
  const servers = await clientSettingsFor(mailbox.address);
  return (
    <>
      <div className="page-head">
        <h1>Set up a mail app</h1>
      </div>
      <div className="grid-2 stack-gap">
        <section className="card" aria-labelledby="auto-heading">
          <h2 id="auto-heading">Automatic</h2>
          <p>Thunderbird and Outlook find the settings by themselves: enter your address and password.</p>
          <p>On an iPhone, iPad or Mac, install the configuration profile (it holds no password; you are asked for it):</p>
          <p>
            <a className="button button-primary" href={`/api/mailboxes/${mailbox.id}/mobileconfig`} download>
              Download the Apple profile
            </a>
          </p>
        </section>
        <section className="card" aria-labelledby="manual-heading">
          <h2 id="manual-heading">By hand</h2>
          <dl className="facts">
            <dt>User name</dt>
            <dd>
              <code>{mailbox.address}</code> <CopyButton value={mailbox.address} label="Copy the user name" />
            </dd>
            <dt>Password</dt>
            <dd>Your mailbox password</dd>
          </dl>
          {servers ? (
            <div className="table-wrap" tabIndex={0}>
              <table>
                <caption className="visually-hidden">Servers</caption>
                <thead>
                  <tr>
                    <th scope="col">Protocol</th>
                    <th scope="col">Server</th>
                    <th scope="col" className="numeric">
                      Port
                    </th>
                    <th scope="col">Security</th>
                  </tr>
                </thead>
                <tbody>
                  {servers.map((s) => (
                    <tr key={`${s.protocol}-${s.port}`}>
                      <td>{s.protocol === 'SMTP' ? 'SMTP (sending)' : s.protocol}</td>
                      <td>
                        <code>{s.hostname}</code>
                      </td>
                      <td className="numeric">{s.port}</td>
                      <td>{s.security}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="alert alert-error">The server settings could not be loaded right now. Try again later.</p>
          )}
          <p className="muted small">Prefer SSL/TLS; use STARTTLS where your app offers nothing else. Sending always needs your address and password.</p>
        </section>
      </div>
    </>
  );
}
