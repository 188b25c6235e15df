import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow } from '../auth/allow.decorator.js';
import { toConnection } from '../common/connection.js';
import { CreateMailboxInput } from './dto/create-mailbox.input.js';
import {
  DeleteMailboxInput,
  MailboxForwardingInput,
  MailboxLimitsInput,
  MailboxSuspensionInput,
  MailboxVacationInput,
  UpdateMailboxInput,
} from './dto/mailbox.inputs.js';
import { MailboxesArgs } from './dto/mailboxes.args.js';
import { MailboxService } from './mailbox.service.js';
import { Mailbox, MailboxConnection, MailboxDeletion, MailboxLimits, toMailbox } from './mailbox.type.js';

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

  @ResolveField(() => MailboxLimits, { description: 'Sending rates and protocol switches in force (one extra query per mailbox).' })
  async limits(@Parent() mailbox: Mailbox): Promise<MailboxLimits> {
    const plan = await this.service.planOf(mailbox.tenantId);
    const o = mailbox.overrides;
    return {
      sendPerMinute: o.sendPerMinute ?? plan.sendPerMinute,
      sendPerHour: o.sendPerHour ?? plan.sendPerHour,
      sendPerDay: o.sendPerDay ?? plan.sendPerDay,
      imapEnabled: o.imapEnabled ?? plan.imapEnabled,
      pop3Enabled: o.pop3Enabled ?? plan.pop3Enabled,
      sendPerMinuteOverride: o.sendPerMinute,
      sendPerHourOverride: o.sendPerHour,
      sendPerDayOverride: o.sendPerDay,
      imapEnabledOverride: o.imapEnabled,
      pop3EnabledOverride: o.pop3Enabled,
    };
  }

  @Allow('platform_admin', 'tenant_admin')
  @Mutation(() => Mailbox)
  async createMailbox(@Args('input', { type: () => CreateMailboxInput }) input: CreateMailboxInput): Promise<Mailbox> {
    return toMailbox(await this.service.create(input));
  }

  @Allow('platform_admin', 'tenant_admin', 'mailbox_owner')
  @Mutation(() => Mailbox, { description: 'Display name (anyone who sees the mailbox) and quota (admins).' })
  async updateMailbox(@Args('id', { type: () => ID }) id: string, @Args('input', { type: () => UpdateMailboxInput }) input: UpdateMailboxInput): Promise<Mailbox> {
    return toMailbox(await this.service.update(id, input));
  }

  @Allow('platform_admin', 'tenant_admin')
  @Mutation(() => MailboxDeletion, { description: 'Deletes the mailbox with all its stored mail. Cannot be undone.' })
  deleteMailbox(@Args('input', { type: () => DeleteMailboxInput }) input: DeleteMailboxInput): Promise<MailboxDeletion> {
    return this.service.delete(input);
  }

  @Allow('platform_admin', 'tenant_admin')
  @Mutation(() => Mailbox, { description: "Sets the owner's password (owners use changePassword); the owner's API sessions end." })
  async resetMailboxPassword(@Args('id', { type: () => ID }) id: string, @Args('password', { type: () => String }) password: string): Promise<Mailbox> {
    return toMailbox(await this.service.resetPassword(id, password));
  }

  @Allow('platform_admin', 'tenant_admin')
  @Mutation(() => Mailbox, { description: 'Suspends or restores login, sending and receiving separately.' })
  async setMailboxSuspension(
    @Args('id', { type: () => ID }) id: string,
    @Args('input', { type: () => MailboxSuspensionInput }) input: MailboxSuspensionInput,
  ): Promise<Mailbox> {
    return toMailbox(await this.service.setSuspension(id, input));
  }

  @Allow('platform_admin', 'tenant_admin', 'mailbox_owner')
  @Mutation(() => Mailbox)
  async setMailboxForwarding(
    @Args('id', { type: () => ID }) id: string,
    @Args('input', { type: () => MailboxForwardingInput }) input: MailboxForwardingInput,
  ): Promise<Mailbox> {
    return toMailbox(await this.service.setForwarding(id, input));
  }

  @Allow('platform_admin', 'tenant_admin', 'mailbox_owner')
  @Mutation(() => Mailbox)
  async setMailboxVacation(@Args('id', { type: () => ID }) id: string, @Args('input', { type: () => MailboxVacationInput }) input: MailboxVacationInput): Promise<Mailbox> {
    return toMailbox(await this.service.setVacation(id, input));
  }

  @Allow('platform_admin')
  @Mutation(() => Mailbox, { description: "Overrides of the plan's sending rates and IMAP/POP3 switches for one mailbox (platform admins only)." })
  async setMailboxLimits(@Args('id', { type: () => ID }) id: string, @Args('input', { type: () => MailboxLimitsInput }) input: MailboxLimitsInput): Promise<Mailbox> {
    return toMailbox(await this.service.setLimits(id, input));
  }
}
