import type { MigrationInterface } from 'typeorm';
import { Initial1795710820613 } from './1795710820613-Initial.js';
import { LoginThrottleAndStats1795712763267 } from './1795712763267-LoginThrottleAndStats.js';
import { ApiAuthSessions1795712886289 } from './1795712886289-ApiAuthSessions.js';
import { ImapSearchAndExpunged1795713349384 } from './1795713349384-ImapSearchAndExpunged.js';
import { SmtpRatesAndVacation1795713360078 } from './1795713360078-SmtpRatesAndVacation.js';
import { OutboundQueueLeases1795713418461 } from './1795713418461-OutboundQueueLeases.js';
import { ApiMailboxListIndex1795715319319 } from './1795715319319-ApiMailboxListIndex.js';
import { ImapEnvelopeWire1795716450358 } from './1795716450358-ImapEnvelopeWire.js';
import { ImpersonationAndDailyStats1795718068107 } from './1795718068107-ImpersonationAndDailyStats.js';
import { LazyBodySearchIndex1795720498225 } from './1795720498225-LazyBodySearchIndex.js';
import { ImapRecent1795730000000 } from './1795730000000-ImapRecent.js';
import { ExpungedRetention1795731000000 } from './1795731000000-ExpungedRetention.js';
import { DropSearchVector1795732000000 } from './1795732000000-DropSearchVector.js';

/** Every migration, oldest first. New ones are appended here (ESM has no glob loading). */
export const MIGRATIONS: (new () => MigrationInterface)[] = [Initial1795710820613, LoginThrottleAndStats1795712763267, ApiAuthSessions1795712886289, ImapSearchAndExpunged1795713349384, SmtpRatesAndVacation1795713360078, OutboundQueueLeases1795713418461, ApiMailboxListIndex1795715319319, ImapEnvelopeWire1795716450358, ImpersonationAndDailyStats1795718068107,
  LazyBodySearchIndex1795720498225,
  ImapRecent1795730000000,
  ExpungedRetention1795731000000,
  DropSearchVector1795732000000,
];
