import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ActorType, LoginPayload, toActorType } from './actor.type.js';
import { Allow, Public } from './allow.decorator.js';
import { AuthService } from './auth.service.js';
import { currentActor } from './request-context.js';

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Mutation(() => LoginPayload, { description: 'Exchanges an e-mail (operator) or address (mailbox) and password for an access token.' })
  async login(
    @Args('email', { type: () => String }) email: string,
    @Args('password', { type: () => String }) password: string,
  ): Promise<LoginPayload> {
    const { token, expiresAt, actor } = await this.auth.login(email, password);
    return { token, expiresAt, actor: toActorType(actor) };
  }

  @Allow('platform_admin', 'tenant_admin', 'mailbox_owner')
  @Query(() => ActorType, { description: 'The caller.' })
  me(): ActorType {
    return toActorType(currentActor());
  }
}
