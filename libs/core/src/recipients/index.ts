export * from './types.js';
export { resolveRecipient, lookupKeys, baseAddress, addFacts, EMPTY_FACTS } from './resolve.js';
