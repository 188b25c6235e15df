import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../auth/allow.decorator.js';
import { TotpEnrollmentService } from '../auth/totp-enrollment.service.js';
import { toConnection } from '../common/connection.js';
import { CreateOperatorInput, OperatorsArgs } from './dto/operator.inputs.js';
import { OperatorService } from './operator.service.js';
import { Operator, OperatorConnection, toOperator } from './operator.type.js';

@Allow('platform_admin', 'tenant_admin')
@Resolver(() => Operator)
export class OperatorResolver {
  constructor(
    private readonly service: OperatorService,
    private readonly totp: TotpEnrollmentService,
  ) {}

  @Query(() => OperatorConnection, { description: 'All operators for platform admins; a tenant admin sees its tenant\'s.' })
  async operators(@Args() args: OperatorsArgs): Promise<OperatorConnection> {
    return toConnection(await this.service.list(args), toOperator);
  }

  @Query(() => Operator)
  async operator(@Args('id', { type: () => ID }) id: string): Promise<Operator> {
    return toOperator(await this.service.get(id));
  }

  @Mutation(() => Operator, { description: 'Operators log in with `login`.' })
  async createOperator(@Args('input', { type: () => CreateOperatorInput }) input: CreateOperatorInput): Promise<Operator> {
    return toOperator(await this.service.create(input));
  }

  @Mutation(() => Operator, { description: 'The last platform admin cannot be deleted.' })
  async deleteOperator(@Args('id', { type: () => ID }) id: string): Promise<Operator> {
    return toOperator(await this.service.delete(id));
  }

  @Mutation(() => Operator, { description: 'Lifts a lock set after repeated failed logins.' })
  async unlockOperator(@Args('id', { type: () => ID }) id: string): Promise<Operator> {
    return toOperator(await this.service.unlock(id));
  }

  @Mutation(() => Operator, { description: "Turns another operator's TOTP off (lost device); they enrol again at their next login." })
  async resetOperatorTotp(@Args('id', { type: () => ID }) id: string): Promise<Operator> {
    return toOperator(await this.totp.reset(id));
  }
}
