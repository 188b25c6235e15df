export { PgOutboundQueue, FINAL_STATES, type QueuedDelivery, type ClaimOptions, type DeferItem, type FailItem, type SigningKey } from './queue-store.js';
export { QueueWakeups } from './queue-wakeups.js';
