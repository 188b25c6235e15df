import type { MigrationInterface } from 'typeorm';
import { Initial1795710820613 } from './1795710820613-Initial.js';
import { LoginThrottleAndStats1795712763267 } from './1795712763267-LoginThrottleAndStats.js';
import { ApiAuthSessions1795712886289 } from './1795712886289-ApiAuthSessions.js';

/** Every migration, oldest first. New ones are appended here (ESM has no glob loading). */
export const MIGRATIONS: (new () => MigrationInterface)[] = [Initial1795710820613, LoginThrottleAndStats1795712763267, ApiAuthSessions1795712886289];
