import { Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { OrderBy } from '../../common/connection.js';

@InputType()
export class UpdateTenantInput {
  @Field(() => String, { nullable: true, description: '1-200 characters.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "The billing system's id for this customer; empty string clears it." })
  externalId?: string | null;
}

@InputType({ description: 'Deleting a tenant deletes all of its domains, mailboxes and stored mail, its operators and API keys, and cancels its outbound mail not yet sent. It cannot be undone.' })
export class DeleteTenantInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "The tenant's exact name, as a confirmation." })
  confirmName!: string;
}

export enum TenantOrderField {
  CREATED_AT = 'CREATED_AT',
  NAME = 'NAME',
}
registerEnumType(TenantOrderField, { name: 'TenantOrderField' });

@InputType()
export class TenantOrder extends OrderBy(TenantOrderField) {}
