import { ArgsType, Field, ID } from '@nestjs/graphql';
import { PageArgs } from '../../common/connection.js';
import { MailboxOrder } from './mailbox.inputs.js';

@ArgsType()
export class MailboxesArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only mailboxes on this domain.' })
  domainId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only this tenant's mailboxes." })
  tenantId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only addresses containing this text.' })
  addressContains?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only mailboxes with any suspension on; false: only those with none.' })
  suspended?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only mailboxes whose outbound mail is blocked (burst); false: the others.' })
  outboundBlocked?: boolean | null;

  @Field(() => MailboxOrder, { nullable: true, description: 'Default: oldest first.' })
  orderBy?: MailboxOrder | null;
}
