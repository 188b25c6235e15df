/** Injection tokens for the values the app is built from (see app.factory.ts). */
export const CONFIG = Symbol('CONFIG');
export const API_SETTINGS = Symbol('API_SETTINGS');
export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const LOGGER = Symbol('LOGGER');
