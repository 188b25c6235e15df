import { Inject, Injectable } from '@nestjs/common';
import { conflict, forbidden, validation } from '@darwin/core';
import { ApiKeyEntity, type DataSource } from '@darwin/db';
import { isOperator } from '../auth/actor.js';
import { currentActor } from '../auth/request-context.js';
import { AuditService } from '../common/audit.service.js';
import { sortSpec, type Page, type SortableFields } from '../common/connection.js';
import { ScopedRepositories } from '../common/scoped-repository.js';
import { DATA_SOURCE } from '../common/tokens.js';
import { requireText, uuidOrNone } from '../common/validate.js';
import { newApiKey } from './api-key-secret.js';
import { apiKeyAuditView, ApiKeyOrderField, type ApiKeysArgs, type CreateApiKeyInput } from './api-key.type.js';

const SORTABLE: SortableFields<ApiKeyOrderField> = {
  CREATED_AT: { property: 'createdAt', kind: 'time' },
  NAME: { property: 'name', kind: 'text' },
};

@Injectable()
export class ApiKeyService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly scoped: ScopedRepositories,
    private readonly audit: AuditService,
  ) {}

  list(args: ApiKeysArgs): Promise<Page<ApiKeyEntity>> {
    return this.scoped.apiKeys().page(
      args,
      (qb) => {
        const a = qb.alias;
        if (args.tenantId != null) qb.andWhere(`${a}.tenantId = :tenantId`, { tenantId: uuidOrNone(args.tenantId) });
        const working = `(${a}.revokedAt IS NULL AND (${a}.expiresAt IS NULL OR ${a}.expiresAt > now()))`;
        if (args.active != null) qb.andWhere(args.active ? working : `NOT ${working}`);
      },
      sortSpec(SORTABLE, args.orderBy, { field: ApiKeyOrderField.CREATED_AT, direction: 'ASC' }),
    );
  }

  /**
   * A new key, answered with its secret this once. Only people create keys (an API key cannot make
   * another, so a leaked key cannot entrench itself).
   */
  async create(input: CreateApiKeyInput): Promise<{ entity: ApiKeyEntity; key: string }> {
    const actor = currentActor();
    if (!isOperator(actor)) throw forbidden('API keys are created by operators');
    const name = requireText(input.name, 'name', 100);
    const expiresAt = input.expiresAt ?? null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw validation('expiresAt must be in the future', { field: 'expiresAt' });
    const wanted = input.tenantId ?? actor.tenantId;
    return this.dataSource.transaction(async (m) => {
      const tenantId = wanted ? (await this.scoped.tenants(m).get(wanted)).id : null;
      const secret = newApiKey();
      const entity = await m.save(
        m.create(ApiKeyEntity, {
          name,
          prefix: secret.prefix,
          secretHash: secret.secretHash,
          scope: tenantId ? 'tenant' : 'platform',
          tenantId,
          createdById: actor.id,
          expiresAt,
          lastUsedAt: null,
          revokedAt: null,
        }),
      );
      await this.audit.record(m, { action: 'api_key.create', targetType: 'api_key', targetId: entity.id, tenantId, after: apiKeyAuditView(entity) });
      return { entity, key: secret.key };
    });
  }

  async revoke(id: string): Promise<ApiKeyEntity> {
    return this.dataSource.transaction(async (m) => {
      const key = await this.scoped.apiKeys(m).getForUpdate(id);
      if (key.revokedAt) throw conflict('The key is revoked already');
      const before = apiKeyAuditView(key);
      key.revokedAt = new Date();
      const saved = await m.save(key);
      await this.audit.record(m, { action: 'api_key.revoke', targetType: 'api_key', targetId: key.id, tenantId: key.tenantId, before, after: apiKeyAuditView(saved) });
      return saved;
    });
  }
}
