import type { Config } from '@darwin/config';
import type { DataSource } from '@darwin/db';
import type { Logger } from '@darwin/logger';
import type { ApiSettings } from './config/api-settings.js';

/** What the API is built from; main.ts makes them from the environment, tests make their own. */
export interface ApiDeps {
  readonly config: Config;
  /** API-only settings (config/api-settings.ts); taken from `config` when absent. */
  readonly settings?: ApiSettings;
  /** Initialised and migrated by the caller, who also closes it. */
  readonly dataSource: DataSource;
  readonly logger: Logger;
}
