export type { MailStore } from './mail-store.js';
export * from './types.js';
export { Spool, spoolBuffer, spoolStream, type SpoolOptions } from './spool.js';
export { summarizeHeaders, parseHeaderBlock, type HeaderSummary } from './headers.js';
export { PgMailStore, type PgMailStoreOptions } from './pg/pg-mail-store.js';
export { canonicalFolderName } from './pg/deliver.js';
export { EVENTS_CHANNEL, emitEvent, quotaCrossings, type PlatformEvent } from './pg/events.js';
