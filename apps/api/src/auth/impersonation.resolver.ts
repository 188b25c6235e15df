import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { ImpersonationPayload, toActorType } from './actor.type.js';
import { Allow } from './allow.decorator.js';
import { ImpersonationService } from './impersonation.service.js';

@Resolver()
export class ImpersonationResolver {
  constructor(private readonly service: ImpersonationService) {}

  @Allow('platform_admin')
  @Mutation(() => ImpersonationPayload, {
    description:
      "Act as the tenant's admin: records tenant.impersonate (with the reason) in the audit log and answers an access token of role tenant_admin for that tenant, valid for at most an hour, without a refresh token. Everything done with it is audited under the calling platform admin, with the session's id. Only platform admins signed in as a person (not API keys).",
  })
  async impersonateTenant(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('reason', { type: () => String, description: 'Why (1-500 characters); kept in the audit log.' }) reason: string,
  ): Promise<ImpersonationPayload> {
    const grant = await this.service.start(tenantId, reason);
    return { token: grant.token, expiresAt: grant.expiresAt, actor: toActorType(grant.actor) };
  }

  @Allow('tenant_admin')
  @Mutation(() => Boolean, {
    description: 'Ends the impersonation session of the calling token (audit tenant.impersonate.end); the token stops working at once. FORBIDDEN for a token that is not an impersonation.',
  })
  stopImpersonation(): Promise<boolean> {
    return this.service.stop();
  }
}
