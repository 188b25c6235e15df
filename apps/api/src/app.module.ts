import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import type { ApiDeps } from './app.deps.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthModule } from './auth/auth.module.js';
import { ApiExceptionFilter } from './common/api-exception.filter.js';
import { CoreModule } from './common/core.module.js';
import { createErrorFormatter } from './common/error-format.js';
import { DomainModule } from './domains/domain.module.js';
import { HealthModule } from './health/health.module.js';
import { MailboxModule } from './mailboxes/mailbox.module.js';
import { PlanModule } from './plans/plan.module.js';
import { TenantModule } from './tenants/tenant.module.js';

export const GRAPHQL_PATH = '/graphql';

@Module({})
export class AppModule {
  static forRoot(deps: ApiDeps): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(deps),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: GRAPHQL_PATH,
          // Built in memory from the decorators; schema.graphql is printed by `npm run schema`.
          autoSchemaFile: true,
          sortSchema: true,
          // Tools and the dashboard's code generation read the schema through introspection.
          introspection: true,
          includeStacktraceInErrorResponses: false,
          formatError: createErrorFormatter(deps.logger),
        }),
        AuthModule,
        TenantModule,
        DomainModule,
        MailboxModule,
        PlanModule,
        HealthModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
