import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../auth/allow.decorator.js';
import { toConnection } from '../common/connection.js';
import { CreateMailboxInput } from './dto/create-mailbox.input.js';
import { MailboxesArgs } from './dto/mailboxes.args.js';
import { MailboxService } from './mailbox.service.js';
import { Mailbox, MailboxConnection, toMailbox } from './mailbox.type.js';

@Resolver(() => Mailbox)
export class MailboxResolver {
  constructor(private readonly service: MailboxService) {}

  @Allow('platform_admin', 'tenant_admin', 'mailbox_owner')
  @Query(() => MailboxConnection, { description: 'A mailbox owner sees only its own mailbox.' })
  async mailboxes(@Args() args: MailboxesArgs): Promise<MailboxConnection> {
    return toConnection(await this.service.list(args), toMailbox);
  }

  @Allow('platform_admin', 'tenant_admin', 'mailbox_owner')
  @Query(() => Mailbox)
  async mailbox(@Args('id', { type: () => ID }) id: string): Promise<Mailbox> {
    return toMailbox(await this.service.get(id));
  }

  @Allow('platform_admin', 'tenant_admin')
  @Mutation(() => Mailbox)
  async createMailbox(@Args('input', { type: () => CreateMailboxInput }) input: CreateMailboxInput): Promise<Mailbox> {
    return toMailbox(await this.service.create(input));
  }
}
