import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { AbuseModule } from './abuse/abuse.module.js';
import { AliasModule } from './aliases/alias.module.js';
import type { ApiDeps } from './app.deps.js';
import { ApiKeyModule } from './api-keys/api-key.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthModule } from './auth/auth.module.js';
import { ApiExceptionFilter } from './common/api-exception.filter.js';
import { CoreModule } from './common/core.module.js';
import { createErrorFormatter } from './common/error-format.js';
import { queryLimitsPlugin } from './common/query-limits.plugin.js';
import { apiSettingsFrom } from './config/api-settings.js';
import { DomainModule } from './domains/domain.module.js';
import { HealthModule } from './health/health.module.js';
import { MailboxModule } from './mailboxes/mailbox.module.js';
import { OperatorModule } from './operators/operator.module.js';
import { PlanModule } from './plans/plan.module.js';
import { QueueModule } from './queue/queue.module.js';
import { RestModule } from './rest/rest.module.js';
import { StatsModule } from './stats/stats.module.js';
import { AutoconfigModule } from './autoconfig/autoconfig.module.js';
import { SubscriptionModule } from './subscriptions/subscription.module.js';
import { TenantModule } from './tenants/tenant.module.js';
import { UsageModule } from './usage/usage.module.js';

export const GRAPHQL_PATH = '/graphql';

@Module({})
export class AppModule {
  static forRoot(deps: ApiDeps): DynamicModule {
    const settings = deps.settings ?? apiSettingsFrom(deps.config);
    const withSettings = { ...deps, settings };
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(withSettings),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: GRAPHQL_PATH,
          // Built in memory from the decorators; schema.graphql is printed by `npm run schema`.
          autoSchemaFile: true,
          sortSchema: true,
          // Tools and the dashboard's code generation read the schema through introspection.
          introspection: true,
          includeStacktraceInErrorResponses: false,
          // Apollo's CSRF prevention stays on (the default): no GET mutations, no "simple" POSTs.
          csrfPrevention: true,
          plugins: [queryLimitsPlugin(settings)],
          formatError: createErrorFormatter(deps.logger),
        }),
        AuthModule,
        UsageModule,
        StatsModule,
        TenantModule,
        DomainModule,
        MailboxModule,
        AliasModule,
        PlanModule,
        OperatorModule,
        ApiKeyModule,
        AuditModule,
        QueueModule,
        AbuseModule,
        SubscriptionModule,
        RestModule,
        AutoconfigModule,
        HealthModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
