import { Module } from '@nestjs/common';
import { MailboxResolver } from './mailbox.resolver.js';
import { MailboxService } from './mailbox.service.js';

@Module({ providers: [MailboxService, MailboxResolver], exports: [MailboxService] })
export class MailboxModule {}
