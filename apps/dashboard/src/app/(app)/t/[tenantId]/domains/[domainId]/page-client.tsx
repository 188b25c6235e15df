'use client';

import { useMutation, type QueryRef } from '@apollo/client/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ConfirmAction } from '@/components/confirm-action';
import { CopyButton } from '@/components/copy-button';
import { StatusBadge } from '@/components/status-badge';
import { useRefetchable } from '@/components/use-refetchable';
import {
  DeleteDomainDocument,
  GenerateDkimKeyDocument,
  RotateDkimKeyDocument,
  VerifyDomainDocument,
  type DomainDetailFragment,
  type DomainQuery,
  type DomainQueryVariables,
} from '@/graphql/generated';
import { toApiError, type ApiError } from '@/lib/api-error';
import { formatBytes, formatDateTime } from '@/lib/format';

type DnsRecord = DomainDetailFragment['dnsRecords'][number];

const STATUS_TEXT: Record<string, string> = {
  ok: 'verified',
  missing: 'missing',
  mismatch: 'wrong value',
  error: 'lookup failed',
  unchecked: 'not checked',
};

export function DomainPageClient({ tenantId, queryRef }: { tenantId: string; queryRef: QueryRef<DomainQuery, DomainQueryVariables> }) {
  const { data, reload } = useRefetchable(queryRef);
  const current = data.domain;
  const [verify, { loading: verifying }] = useMutation(VerifyDomainDocument);
  const [generate] = useMutation(GenerateDkimKeyDocument);
  const [rotate] = useMutation(RotateDkimKeyDocument);
  const [remove] = useMutation(DeleteDomainDocument);
  const [error, setError] = useState<ApiError>();
  const [notice, setNotice] = useState<string>();
  const router = useRouter();

  const required = current.dnsRecords.filter((r) => r.required);
  const recommended = current.dnsRecords.filter((r) => !r.required);
  const okCount = required.filter((r) => r.status === 'ok').length;

  async function runVerify() {
    setError(undefined);
    setNotice(undefined);
    try {
      const { data: result } = await verify({ variables: { id: current.id } });
      if (result) {
        setNotice(result.verifyDomain.dnsVerified ? 'All required records were found: the domain is verified.' : 'Checked. Some required records are still missing or wrong.');
      }
      reload();
    } catch (caught) {
      setError(toApiError(caught));
    }
  }

  return (
    <>
      <div className="page-head">
        <h1>{current.displayName}</h1>
        <StatusBadge status={current.status} />
        {current.dnsVerified ? <StatusBadge status="verified" label="DNS verified" /> : <StatusBadge status="missing" label="DNS not verified" />}
        <div className="page-actions">
          <Link className="button" href={`/t/${tenantId}/mailboxes?domain=${current.id}`}>
            Mailboxes
          </Link>
        </div>
      </div>
      {current.name !== current.displayName ? <p className="muted">In DNS: {current.name}</p> : null}
      <section className="card" aria-labelledby="dns-heading">
        <div className="section-head">
          <h2 id="dns-heading">DNS records</h2>
          <button type="button" className="button button-primary" onClick={runVerify} disabled={verifying} aria-busy={verifying}>
            {verifying ? 'Checking…' : 'Check DNS now'}
          </button>
        </div>
        <p>
          Publish these records at your DNS provider, then check. {okCount} of {required.length} required records verified
          {current.dnsCheckedAt ? `, last checked ${formatDateTime(current.dnsCheckedAt)}` : ', not checked yet'}.
        </p>
        {error ? (
          <p role="alert" className="alert alert-error">
            {error.message} <span className="error-code">({error.code})</span>
          </p>
        ) : null}
        <p role="status" className={notice ? 'alert alert-success' : 'visually-hidden'}>
          {notice ?? ''}
        </p>
        <RecordList title="Required" records={required} />
        <RecordList title="Recommended" records={recommended} />
      </section>
      <section className="card" aria-labelledby="dkim-heading">
        <h2 id="dkim-heading">DKIM signing key</h2>
        {current.dkim ? (
          <>
            <p>
              Mail from this domain is signed with an RSA {current.dkim.bits}-bit key, selector <code>{current.dkim.selector}</code>. The private key never leaves
              the server.
            </p>
            <ConfirmAction
              label="Rotate key"
              danger={false}
              title="Rotate the DKIM key?"
              confirmLabel="Rotate key"
              onConfirm={async () => {
                await rotate({ variables: { domainId: current.id } });
                reload();
              }}
            >
              <p>A new key is made under a new selector. Publish its DKIM record (shown above after rotating) before the old record is removed.</p>
            </ConfirmAction>
          </>
        ) : (
          <button
            type="button"
            className="button"
            onClick={async () => {
              try {
                await generate({ variables: { domainId: current.id } });
                reload();
              } catch (caught) {
                setError(toApiError(caught));
              }
            }}
          >
            Generate a DKIM key
          </button>
        )}
      </section>
      <section className="card card-danger" aria-labelledby="danger-heading">
        <h2 id="danger-heading">Delete this domain</h2>
        <p>Deletes its mailboxes with all their stored mail, and its aliases. Mail already queued from them is still delivered.</p>
        <ConfirmAction
          label="Delete domain"
          title={`Delete ${current.displayName}?`}
          confirmLabel="Delete domain and its mailboxes"
          typeToConfirm={current.name}
          onConfirm={async () => {
            const { data: result } = await remove({ variables: { input: { id: current.id, confirmName: current.name } } });
            const d = result?.deleteDomain;
            if (d) router.push(`/t/${tenantId}/domains?deleted=${encodeURIComponent(`${current.displayName}: ${d.mailboxesDeleted} mailboxes, ${formatBytes(d.bytesDeleted)}`)}`);
          }}
        >
          <p>This cannot be undone.</p>
        </ConfirmAction>
      </section>
    </>
  );
}

function RecordList({ title, records }: { title: string; records: readonly DnsRecord[] }) {
  if (!records.length) return null;
  return (
    <>
      <h3>{title}</h3>
      <ul className="dns-records" aria-label={`${title} DNS records`}>
        {records.map((r) => (
          <li key={`${r.kind}-${r.name}`} className={`dns-record dns-${r.status}`} data-testid={`dns-${r.kind}`}>
            <div className="dns-record-head">
              <span className="dns-check" aria-hidden="true">
                {r.status === 'ok' ? '✓' : r.status === 'unchecked' ? '○' : '✗'}
              </span>
              <strong>{r.kind.replace('_', '-')}</strong> <span className="muted">{r.purpose}</span>
              <StatusBadge status={r.status} label={STATUS_TEXT[r.status] ?? r.status} />
            </div>
            <dl className="dns-fields">
              <div>
                <dt>Type</dt>
                <dd>{r.type}</dd>
              </div>
              <div>
                <dt>Name</dt>
                <dd>
                  <code>{r.name}</code> <CopyButton value={r.name} label={`Copy the name of the ${r.kind} record`} />
                </dd>
              </div>
              <div>
                <dt>Value</dt>
                <dd>
                  <code className="dns-value">{r.value}</code> <CopyButton value={r.value} label={`Copy the value of the ${r.kind} record`} />
                </dd>
              </div>
              {r.status !== 'ok' && r.status !== 'unchecked' && r.found.length ? (
                <div>
                  <dt>Found</dt>
                  <dd>
                    <code>{r.found.join(' | ')}</code>
                  </dd>
                </div>
              ) : null}
            </dl>
          </li>
        ))}
      </ul>
    </>
  );
}
