export * from './kinds.js';
export { schema, type Schema, type SettingName } from './schema.js';
export { loadConfig, loadConfigOrExit, ConfigError, type Config, type ConfigProblem } from './load.js';
export { renderEnvExample } from './env-example.js';
