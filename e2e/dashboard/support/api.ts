import { gqlOk } from '../../support/graphql.js';

/** Signs in over GraphQL (as automation would) and answers the access token. */
export async function apiToken(apiPort: number, email: string, password: string): Promise<string> {
  const { login } = await gqlOk<{ login: { token: string } }>(apiPort, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: password });
  return login.token;
}

/** A tenant with one domain made directly through the API: the "other customer" of the access tests. */
export async function createTenantWithDomain(apiPort: number, token: string, name: string, domain: string): Promise<{ tenantId: string; domainId: string }> {
  const t = await gqlOk<{ createTenant: { id: string } }>(apiPort, 'mutation($n: String!) { createTenant(input: { name: $n }) { id } }', { n: name }, token);
  const d = await gqlOk<{ createDomain: { id: string } }>(apiPort, 'mutation($t: ID!, $d: String!) { createDomain(input: { tenantId: $t, name: $d }) { id } }', { t: t.createTenant.id, d: domain }, token);
  return { tenantId: t.createTenant.id, domainId: d.createDomain.id };
}

/** A mailbox made directly through the API (mail for the overview's charts goes to it). */
export async function createMailbox(apiPort: number, token: string, domainId: string, localPart: string, password: string): Promise<{ id: string; address: string }> {
  const m = await gqlOk<{ createMailbox: { id: string; address: string } }>(
    apiPort,
    'mutation($d: ID!, $l: String!, $p: String!) { createMailbox(input: { domainId: $d, localPart: $l, password: $p }) { id address } }',
    { d: domainId, l: localPart, p: password },
    token,
  );
  return m.createMailbox;
}
