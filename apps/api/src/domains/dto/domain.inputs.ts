import { Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { OrderBy } from '../../common/connection.js';

@InputType({ description: "Deleting a domain deletes its mailboxes with all their stored mail, and its aliases. Outbound mail already queued from those mailboxes is still delivered. It cannot be undone." })
export class DeleteDomainInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "The domain's name (as stored, or in Unicode), as a confirmation." })
  confirmName!: string;
}

@InputType()
export class ImportDkimKeyInput {
  @Field(() => ID)
  domainId!: string;

  @Field(() => String, { description: 'One DNS label.' })
  selector!: string;

  @Field(() => String, { description: 'Unencrypted RSA private key (1024-4096 bits), PEM (PKCS#1 or PKCS#8). Never returned.' })
  privateKeyPem!: string;
}

export enum DomainOrderField {
  CREATED_AT = 'CREATED_AT',
  NAME = 'NAME',
}
registerEnumType(DomainOrderField, { name: 'DomainOrderField' });

@InputType()
export class DomainOrder extends OrderBy(DomainOrderField) {}
