import type { MigrationInterface } from 'typeorm';
import { Initial1795710820613 } from './1795710820613-Initial.js';

/** Every migration, oldest first. New ones are appended here (ESM has no glob loading). */
export const MIGRATIONS: (new () => MigrationInterface)[] = [Initial1795710820613];
