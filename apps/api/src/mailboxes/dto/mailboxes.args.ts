import { ArgsType, Field, ID } from '@nestjs/graphql';
import { PageArgs } from '../../common/connection.js';

@ArgsType()
export class MailboxesArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only mailboxes on this domain.' })
  domainId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only this tenant's mailboxes." })
  tenantId?: string | null;
}
