import { describe, expect, it } from 'vitest';
import { DomainError } from '@darwin/core';
import type { DataSource, EntityManager } from '@darwin/db';
import { createLogger } from '@darwin/logger';
import { AuditService } from '../common/audit.service.js';
import { ScopedRepositories, ScopedRepository } from '../common/scoped-repository.js';
import type { Actor } from './actor.js';
import { currentActor, optionalRequestContext, requestContext, runInRequestContext, type RequestContext } from './request-context.js';

const OUTSIDE = /No request context/;

function context(actor: Actor | undefined): RequestContext {
  return {
    requestId: 'req-1',
    ip: '127.0.0.1',
    logger: createLogger({ app: 'request-context-spec' }, { level: 'error', format: 'json', write: () => {} }),
    actor,
    credentialsRejected: false,
    cookies: {},
    origin: null,
    selfOrigin: null,
    secure: false,
    setCookie: () => {},
  };
}

/** The error `fn` throws (fails when it throws nothing). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('did not throw');
}

// Nothing is read from these: the scoped repositories only keep the manager until a query is built.
const manager = { insert: () => Promise.reject(new Error('must not be reached')) } as unknown as EntityManager;
const dataSource = { manager } as unknown as DataSource;
const tenantAdmin: Actor = { kind: 'operator', role: 'tenant_admin', tenantId: '00000000-0000-4000-8000-00000000000a', id: '00000000-0000-4000-8000-00000000000b', email: 'a@t.test' };

describe('the request context fails loudly when unset', () => {
  it('requestContext(), currentActor() and every scoped repository throw outside a request, as a programming error', () => {
    expect(optionalRequestContext()).toBeUndefined();
    expect(() => requestContext()).toThrow(OUTSIDE);
    // Not UNAUTHENTICATED: that would read as an ordinary refusal. A plain Error is INTERNAL, logged.
    const err = thrown(() => currentActor());
    expect(err).not.toBeInstanceOf(DomainError);
    expect(String(err)).toMatch(OUTSIDE);
    const repos = new ScopedRepositories(dataSource);
    for (const table of ['tenants', 'domains', 'mailboxes', 'plans', 'aliases', 'operators', 'apiKeys', 'auditLog', 'outboundQueue', 'abuseEvents'] as const) {
      expect(() => repos[table](), table).toThrow(OUTSIDE);
      expect(() => repos[table](manager), `${table} in a transaction`).toThrow(OUTSIDE);
    }
  });

  it('an audit row cannot be written outside a request (it would have no actor, IP or request id)', async () => {
    await expect(new AuditService().record(manager, { action: 'x.y', targetType: 'x', targetId: null, tenantId: null })).rejects.toThrow(OUTSIDE);
  });

  it('inside a request the same calls work, scoped to its actor; without an actor they answer UNAUTHENTICATED', () => {
    runInRequestContext(context(tenantAdmin), () => {
      expect(requestContext().requestId).toBe('req-1');
      expect(currentActor()).toBe(tenantAdmin);
      expect(new ScopedRepositories(dataSource).mailboxes()).toBeInstanceOf(ScopedRepository);
    });
    runInRequestContext(context(undefined), () => {
      const err = thrown(() => new ScopedRepositories(dataSource).domains());
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe('UNAUTHENTICATED');
    });
  });

  it('does not outlive the request it was set for', async () => {
    let later: Promise<unknown> | undefined;
    runInRequestContext(context(tenantAdmin), () => {
      later = new Promise((resolve) => setTimeout(() => resolve(requestContext().requestId), 1));
    });
    expect(await later).toBe('req-1'); // async work started inside keeps its request
    expect(() => requestContext()).toThrow(OUTSIDE); // and nothing is left behind outside
  });
});
