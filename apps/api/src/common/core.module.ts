import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { ApiDeps } from '../app.deps.js';
import { apiSettingsFrom } from '../config/api-settings.js';
import { EventHub } from '../events/event-hub.js';
import { AuditService } from './audit.service.js';
import { ScopedRepositories } from './scoped-repository.js';
import { API_SETTINGS, CONFIG, DATA_SOURCE, LOGGER } from './tokens.js';

/** The values the app is built from, and the data-access helpers every feature uses. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(deps: ApiDeps): DynamicModule {
    const providers = [
      { provide: CONFIG, useValue: deps.config },
      { provide: API_SETTINGS, useValue: deps.settings ?? apiSettingsFrom(deps.config) },
      { provide: DATA_SOURCE, useValue: deps.dataSource },
      { provide: LOGGER, useValue: deps.logger },
      AuditService,
      ScopedRepositories,
      EventHub,
    ];
    return { module: CoreModule, providers, exports: providers };
  }
}
