import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { ApiDeps } from '../app.deps.js';
import { AuditService } from './audit.service.js';
import { ScopedRepositories } from './scoped-repository.js';
import { CONFIG, DATA_SOURCE, LOGGER } from './tokens.js';

/** The values the app is built from, and the data-access helpers every feature uses. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(deps: ApiDeps): DynamicModule {
    const providers = [
      { provide: CONFIG, useValue: deps.config },
      { provide: DATA_SOURCE, useValue: deps.dataSource },
      { provide: LOGGER, useValue: deps.logger },
      AuditService,
      ScopedRepositories,
    ];
    return { module: CoreModule, providers, exports: providers };
  }
}
