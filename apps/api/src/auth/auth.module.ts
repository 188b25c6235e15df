import { Global, Module } from '@nestjs/common';
import { AccountLookup } from './account-lookup.js';
import { ApiKeyResolver } from './api-key-resolver.js';
import { AuthResolver } from './auth.resolver.js';
import { AuthService } from './auth.service.js';
import { ImpersonationResolver } from './impersonation.resolver.js';
import { ImpersonationService } from './impersonation.service.js';
import { RefreshTokens } from './refresh-tokens.js';
import { SecondFactor } from './second-factor.js';
import { Sessions } from './sessions.js';
import { TotpEnrollmentService } from './totp-enrollment.service.js';

const exported = [AuthService, RefreshTokens, Sessions, TotpEnrollmentService, AccountLookup];

@Global()
@Module({ providers: [...exported, ApiKeyResolver, SecondFactor, ImpersonationService, AuthResolver, ImpersonationResolver], exports: exported })
export class AuthModule {}
