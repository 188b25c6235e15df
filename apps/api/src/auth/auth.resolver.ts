import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ownOperatorAccount } from './actor.js';
import { ActorType, LoginPayload, toActorType, toLoginPayload, TotpConfirmation, TotpEnrollment, TotpStatus } from './actor.type.js';
import { Allow, DuringTotpEnrollment, Public } from './allow.decorator.js';
import { AuthService } from './auth.service.js';
import { currentActor } from './request-context.js';
import { TotpEnrollmentService } from './totp-enrollment.service.js';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly totp: TotpEnrollmentService,
  ) {}

  @Public()
  @Mutation(() => LoginPayload, {
    description:
      'Exchanges an e-mail (operator) or address (mailbox) and password for an access token and a refresh token. Operators with TOTP give the code (or a recovery code) as totpCode; without it the answer is UNAUTHENTICATED with reason TOTP_REQUIRED.',
  })
  async login(
    @Args('email', { type: () => String }) email: string,
    @Args('password', { type: () => String }) password: string,
    @Args('totpCode', { type: () => String, nullable: true }) totpCode?: string | null,
  ): Promise<LoginPayload> {
    return toLoginPayload(await this.auth.login(email, password, totpCode));
  }

  @Public()
  @Mutation(() => LoginPayload, {
    description: 'A new access token for a refresh token (the argument, or the httpOnly cookie). Each refresh token works once; reusing one ends its session.',
  })
  async refresh(@Args('refreshToken', { type: () => String, nullable: true }) refreshToken?: string | null): Promise<LoginPayload> {
    return toLoginPayload(await this.auth.refresh(refreshToken));
  }

  @Public()
  @Mutation(() => Boolean, { description: 'Ends the session of the refresh token (argument or cookie) and clears the cookie.' })
  logout(@Args('refreshToken', { type: () => String, nullable: true }) refreshToken?: string | null): Promise<boolean> {
    return this.auth.logout(refreshToken);
  }

  @Allow('platform_admin', 'tenant_admin', 'mailbox_owner')
  @DuringTotpEnrollment()
  @Query(() => ActorType, { description: 'The caller.' })
  me(): ActorType {
    return toActorType(currentActor());
  }

  @Allow('platform_admin', 'tenant_admin')
  @DuringTotpEnrollment()
  @Query(() => TotpStatus, { description: "The calling operator's second factor." })
  myTotp(): Promise<TotpStatus> {
    return this.totp.status(ownOperatorAccount(currentActor()).id);
  }

  @Allow('platform_admin', 'tenant_admin', 'mailbox_owner')
  @Mutation(() => Boolean, { description: "The caller's own password; its other sessions end." })
  changePassword(
    @Args('currentPassword', { type: () => String }) currentPassword: string,
    @Args('newPassword', { type: () => String }) newPassword: string,
  ): Promise<boolean> {
    return this.auth.changeOwnPassword(currentPassword, newPassword);
  }

  @Allow('platform_admin', 'tenant_admin')
  @DuringTotpEnrollment()
  @Mutation(() => TotpEnrollment, { description: 'A new TOTP secret for the calling operator, active once confirmed.' })
  beginTotpEnrollment(): Promise<TotpEnrollment> {
    return this.totp.begin();
  }

  @Allow('platform_admin', 'tenant_admin')
  @DuringTotpEnrollment()
  @Mutation(() => TotpConfirmation, { description: 'Turns TOTP on with a first code; answers recovery codes (once) and a full session.' })
  async confirmTotpEnrollment(@Args('code', { type: () => String }) code: string): Promise<TotpConfirmation> {
    const { recoveryCodes, session } = await this.totp.confirm(code);
    return { recoveryCodes, session: toLoginPayload(session) };
  }

  @Allow('platform_admin', 'tenant_admin')
  @Mutation(() => Boolean, { description: 'Turns TOTP off with a current code or a recovery code (refused when the provider requires TOTP).' })
  disableTotp(@Args('code', { type: () => String }) code: string): Promise<boolean> {
    return this.totp.disable(code);
  }
}
