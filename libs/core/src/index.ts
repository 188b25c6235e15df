export * from './errors.js';
export * from './address.js';
export * from './password.js';
export * from './quota.js';
export * from './folders.js';
export * from './recipients/index.js';
export * from './sorted.js';
