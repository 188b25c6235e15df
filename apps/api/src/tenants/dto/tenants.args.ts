import { ArgsType } from '@nestjs/graphql';
import { PageArgs } from '../../common/connection.js';

@ArgsType()
export class TenantsArgs extends PageArgs {}
