import { hashPassword } from '@darwin/core';
import { createDefaultFolders, type DataSource } from '@darwin/db';

/**
 * Direct inserts for arranging a test (other tenants' data, extra operators). The behaviour under
 * test always goes through the API.
 */
export async function insertTenant(ds: DataSource, name: string): Promise<string> {
  const [row] = await ds.query(`INSERT INTO tenants (name, plan_id) SELECT $1, id FROM plans WHERE name = 'Default' RETURNING id`, [name]);
  return row.id;
}

export async function insertDomain(ds: DataSource, tenantId: string, name: string): Promise<string> {
  const [row] = await ds.query(`INSERT INTO domains (tenant_id, name) VALUES ($1, $2) RETURNING id`, [tenantId, name]);
  return row.id;
}

export async function insertMailbox(ds: DataSource, domainId: string, localPart: string, password: string): Promise<string> {
  const [row] = await ds.query(
    `INSERT INTO mailboxes (tenant_id, domain_id, local_part, address, password_hash, quota_bytes)
     SELECT d.tenant_id, d.id, $2::text, $2::text || '@' || d.name, $3, 1048576 FROM domains d WHERE d.id = $1 RETURNING id`,
    [domainId, localPart, await hashPassword(password)],
  );
  await createDefaultFolders(ds, row.id);
  return row.id;
}

export async function insertTenantAdmin(ds: DataSource, tenantId: string, email: string, password: string): Promise<string> {
  const [row] = await ds.query(
    `INSERT INTO operators (email, password_hash, role, tenant_id) VALUES ($1, $2, 'tenant_admin', $3) RETURNING id`,
    [email, await hashPassword(password), tenantId],
  );
  return row.id;
}
