import { Global, Module } from '@nestjs/common';
import { UsageResolver } from './usage.resolver.js';
import { UsageService } from './usage.service.js';

@Global()
@Module({ providers: [UsageService, UsageResolver], exports: [UsageService] })
export class UsageModule {}
