'use client';

import type { QueryRef } from '@apollo/client/react';
import { usePathname } from 'next/navigation';
import { FilterForm } from '@/components/filter-form';
import { ListSection } from '@/components/list-section';
import { LoadMoreButton, useRefetchable } from '@/components/use-refetchable';
import type { AuditEntryFieldsFragment, AuditLogQuery, AuditLogQueryVariables } from '@/graphql/generated';
import { formatDateTime } from '@/lib/format';

export interface AuditFilters {
  readonly actor: string;
  readonly tenant: string;
  readonly action: string;
}

interface Props {
  queryRef: QueryRef<AuditLogQuery, AuditLogQueryVariables>;
  filters: AuditFilters;
  actors: readonly { id: string; label: string }[];
  /** Offered in the console only; a tenant's log is always its own. */
  tenants?: readonly { id: string; name: string }[];
}

const KNOWN_ACTIONS = [
  'auth.',
  'tenant.',
  'tenant.impersonate',
  'plan.',
  'domain.',
  'mailbox.',
  'alias.',
  'api_key.',
  'operator.',
  'queue.',
  'auth.login',
  'mailbox.create',
  'mailbox.release',
  'domain.create',
  'api_key.create',
  'api_key.revoke',
];

/** The audit log with its filters (kept in the URL, so a filtered view can be shared). */
export function AuditLogView({ queryRef, filters, actors, tenants }: Props) {
  const { data, refreshing, hasMore, loadMore, loadingMore } = useRefetchable(queryRef, 'auditLog');
  const pathname = usePathname();
  const tenantName = new Map((tenants ?? []).map((t) => [t.id, t.name]));
  const filtered = Boolean(filters.actor || filters.tenant || filters.action);

  return (
    <ListSection<AuditEntryFieldsFragment>
      id="audit"
      title="Entries"
      noun="entries"
      empty={filtered ? 'No entry matches these filters.' : 'Nothing recorded yet.'}
      rows={data.auditLog.nodes}
      totalCount={data.auditLog.totalCount}
      busy={refreshing}
      toolbar={
        <FilterForm label="Filter the audit log" path={pathname} keys={['actor', 'tenant', 'action']}>
          <div className="field">
            <label htmlFor="audit-actor">Actor</label>
            <select id="audit-actor" name="actor" defaultValue={filters.actor}>
              <option value="">Anyone</option>
              {actors.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.label}
                </option>
              ))}
              {filters.actor && !actors.some((a) => a.id === filters.actor) ? <option value={filters.actor}>{filters.actor}</option> : null}
            </select>
          </div>
          {tenants ? (
            <div className="field">
              <label htmlFor="audit-tenant">Tenant</label>
              <select id="audit-tenant" name="tenant" defaultValue={filters.tenant}>
                <option value="">Any</option>
                {tenants.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="audit-action">Action</label>
            <input id="audit-action" name="action" type="search" list="audit-actions" defaultValue={filters.action} placeholder="mailbox. or mailbox.create" aria-describedby="audit-action-hint" />
            <datalist id="audit-actions">
              {KNOWN_ACTIONS.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
            <span id="audit-action-hint" className="hint">
              An exact action, or a prefix ending in a dot.
            </span>
          </div>
        </FilterForm>
      }
      footer={<LoadMoreButton hasMore={hasMore} loading={loadingMore} onClick={loadMore} noun="entries" />}
      columns={[
        { header: 'When', cell: (e) => formatDateTime(e.createdAt) },
        { header: 'Action', cell: (e) => <code>{e.action}</code> },
        {
          header: 'Actor',
          className: 'address',
          cell: (e) => (
            <>
              {e.actorLabel}
              <div className="muted small">{e.impersonationId ? 'operator acting as tenant admin' : e.actorType.replace('_', ' ')}</div>
            </>
          ),
        },
        {
          header: 'Target',
          cell: (e) => (
            <>
              {e.targetType} {e.targetId ? <span className="muted">{e.targetId.slice(0, 8)}</span> : null}
              {tenants && e.tenantId ? <div className="muted small">{tenantName.get(e.tenantId) ?? e.tenantId.slice(0, 8)}</div> : null}
            </>
          ),
        },
        { header: 'Details', cell: (e) => <Change before={e.before} after={e.after} /> },
        { header: 'From', cell: (e) => e.ip ?? '—' },
      ]}
    />
  );
}

/** What changed, as compact key: value pairs (what the API recorded after, else before). */
function Change({ before, after }: { before: unknown; after: unknown }) {
  const show = (after ?? before) as Record<string, unknown> | null;
  if (!show || typeof show !== 'object') return <span className="muted">—</span>;
  const entries = Object.entries(show).slice(0, 6);
  return (
    <span className="small">
      {entries.map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' · ')}
    </span>
  );
}
