import { AbuseEventEntity } from './abuse-event.entity.js';
import { AliasEntity } from './alias.entity.js';
import { ApiKeyEntity } from './api-key.entity.js';
import { AuditLogEntity } from './audit-log.entity.js';
import { AuthFailureEntity } from './auth-failure.entity.js';
import { BlobChunkEntity } from './blob-chunk.entity.js';
import { BlobEntity } from './blob.entity.js';
import { DomainEntity } from './domain.entity.js';
import { ExpungedMessageEntity } from './expunged-message.entity.js';
import { FolderEntity } from './folder.entity.js';
import { ImpersonationSessionEntity } from './impersonation-session.entity.js';
import { MailboxEntity } from './mailbox.entity.js';
import { MailStatsDailyEntity } from './mail-stats-daily.entity.js';
import { MessageEntity } from './message.entity.js';
import { OperatorEntity } from './operator.entity.js';
import { OperatorRecoveryCodeEntity } from './operator-recovery-code.entity.js';
import { OutboundQueueEntity } from './outbound-queue.entity.js';
import { OutboundSlotEntity } from './outbound-slot.entity.js';
import { PlanEntity } from './plan.entity.js';
import { PlatformStatsDailyEntity } from './platform-stats-daily.entity.js';
import { RefreshTokenEntity } from './refresh-token.entity.js';
import { SendRateBucketEntity } from './send-rate-bucket.entity.js';
import { TenantEntity } from './tenant.entity.js';
import { TenantStatsDailyEntity } from './tenant-stats-daily.entity.js';
import { VacationReplyEntity } from './vacation-reply.entity.js';

export {
  AbuseEventEntity,
  AliasEntity,
  ApiKeyEntity,
  AuditLogEntity,
  AuthFailureEntity,
  BlobChunkEntity,
  BlobEntity,
  DomainEntity,
  ExpungedMessageEntity,
  FolderEntity,
  ImpersonationSessionEntity,
  MailboxEntity,
  MailStatsDailyEntity,
  MessageEntity,
  OperatorEntity,
  OperatorRecoveryCodeEntity,
  OutboundQueueEntity,
  OutboundSlotEntity,
  PlanEntity,
  PlatformStatsDailyEntity,
  RefreshTokenEntity,
  SendRateBucketEntity,
  TenantEntity,
  TenantStatsDailyEntity,
  VacationReplyEntity,
};
export type { TenantStatus } from './tenant.entity.js';
export type { DomainStatus } from './domain.entity.js';
export type { OperatorRole } from './operator.entity.js';
export type { ApiKeyScope } from './api-key.entity.js';
export type { OutboundState } from './outbound-queue.entity.js';
export type { AuditActorType } from './audit-log.entity.js';
export type { AuthFailureScope } from './auth-failure.entity.js';
export type { SendRateScope, SendRateSpan } from './send-rate-bucket.entity.js';

export const ENTITIES = [
  PlanEntity,
  TenantEntity,
  DomainEntity,
  MailboxEntity,
  AliasEntity,
  OperatorEntity,
  ApiKeyEntity,
  FolderEntity,
  BlobEntity,
  BlobChunkEntity,
  MessageEntity,
  OutboundQueueEntity,
  AbuseEventEntity,
  AuditLogEntity,
  AuthFailureEntity,
  MailStatsDailyEntity,
  RefreshTokenEntity,
  OperatorRecoveryCodeEntity,
  ExpungedMessageEntity,
  SendRateBucketEntity,
  VacationReplyEntity,
  OutboundSlotEntity,
  ImpersonationSessionEntity,
  PlatformStatsDailyEntity,
  TenantStatsDailyEntity,
];
